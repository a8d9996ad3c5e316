/**
 * A job's training set: labels from the archive joined point-in-time with the feature store's history, as a matrix
 * split in time.
 */
package dev.sextant.training.dataset;
