/**
 * Runs jobs: dispatches the due ones (in this process, or as Kubernetes Jobs), runs a claimed job through the
 * training pipeline to its end under the owner check, writes heartbeats, recovers interrupted jobs, and the worker
 * mode a Kubernetes Job's container runs in.
 */
package dev.sextant.training.runner;
