/**
 * What the two APIs share: a model request's flow (routing, logging, shadow), its id, its errors, its metrics and
 * the hot path's observations.
 */
package dev.sextant.prediction.api;
