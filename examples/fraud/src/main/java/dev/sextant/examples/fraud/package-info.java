/**
 * The example domain, card fraud: the on-demand transformation its feature repository names
 * ({@link dev.sextant.examples.fraud.TransactionContext}; the repository is this jar's
 * {@code META-INF/sextant/feature-repository.yaml}), the synthetic world the demo plays
 * ({@link dev.sextant.examples.fraud.FraudWorld}) and that world's past as the platform's stores would hold it
 * ({@link dev.sextant.examples.fraud.FraudHistory}).
 */
package dev.sextant.examples.fraud;
