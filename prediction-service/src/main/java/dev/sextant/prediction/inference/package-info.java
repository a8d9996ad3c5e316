/**
 * The Open Inference Protocol API ({@code /v2/models/...}): tensors in JSON, their validation, and its errors.
 */
package dev.sextant.prediction.inference;
