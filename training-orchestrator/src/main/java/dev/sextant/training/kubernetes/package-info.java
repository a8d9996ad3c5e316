/**
 * Jobs run as Kubernetes Jobs: the dispatcher that claims due jobs under a Job's name, and the launcher that creates
 * the Job through the API server.
 */
package dev.sextant.training.kubernetes;
