/**
 * A job's steps: dataset, training of each candidate trainer, export check, evaluation, the gate, registration with
 * its reference distributions.
 */
package dev.sextant.training.pipeline;
