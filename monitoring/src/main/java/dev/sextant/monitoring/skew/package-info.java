/**
 * Training/serving skew: a version's first served predictions compared with its training reference.
 */
package dev.sextant.monitoring.skew;
