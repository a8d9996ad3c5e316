/**
 * Jobs run as Kubernetes Jobs: the launcher, and the worker mode a Job's container runs in.
 */
package dev.sextant.training.kubernetes;
