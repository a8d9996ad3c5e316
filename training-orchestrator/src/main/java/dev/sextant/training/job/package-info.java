/**
 * Training jobs: requests and specs, the SQL repository (one active job per model, idempotency), the runner with
 * heartbeats and resume, and the jobs API.
 */
package dev.sextant.training.job;
