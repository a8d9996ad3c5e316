/**
 * Running a model: the {@code ModelRunner} seam, its ONNX Runtime implementation (CPU or CUDA), tensors and their
 * datatypes.
 */
package dev.sextant.prediction.runtime;
