/**
 * ONNX validation on upload: the model loaded by ONNX Runtime, its input and output signature read, external data
 * refused.
 */
package dev.sextant.registry.signature;
