/**
 * The training orchestrator service: the application, its configuration ({@code sextant.training.*}) and the wiring
 * of the trainers.
 */
package dev.sextant.training;
