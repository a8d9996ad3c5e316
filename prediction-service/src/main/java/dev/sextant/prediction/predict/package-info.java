/**
 * The domain API ({@code /api/v1/predict/{model}}): entities and request fields in, the model's answer by name out,
 * features read for it.
 */
package dev.sextant.prediction.predict;
