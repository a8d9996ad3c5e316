/**
 * Training/serving skew: a version's first served predictions compared with its training reference, judged by
 * drift's evaluator and kept with its reports, and served by {@code SkewController}.
 */
package dev.sextant.monitoring.skew;
