/**
 * The {@code Trainer} seam and the Tribuo trainers (logistic regression, factorization machine) with their ONNX
 * export and hyperparameters.
 */
package dev.sextant.training.trainer;
