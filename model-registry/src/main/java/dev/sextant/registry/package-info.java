/**
 * The model registry service: the application, its configuration ({@code sextant.registry.*}) and the wiring of its
 * stores.
 */
package dev.sextant.registry;
