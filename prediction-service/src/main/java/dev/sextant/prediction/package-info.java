/**
 * The prediction service: the application and its configuration ({@code sextant.prediction.*}).
 */
package dev.sextant.prediction;
