/**
 * Evaluation: metrics on held-out rows scored by ONNX Runtime from the exported model, and the champion/challenger
 * gate.
 */
package dev.sextant.training.evaluation;
