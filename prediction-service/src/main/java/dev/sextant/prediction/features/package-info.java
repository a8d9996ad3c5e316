/**
 * Online features for the domain API: a version's feature binding, the rows read from Redis in process, defaults,
 * and the model's input tensors built from them.
 */
package dev.sextant.prediction.features;
