package dev.sextant.demo;

import dev.sextant.contracts.EventContracts;
import dev.sextant.examples.fraud.FraudWorld;
import dev.sextant.examples.fraud.FraudWorld.Payment;
import dev.sextant.examples.fraud.FraudWorld.Regime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the demo writes to Kafka, as any payment system and chargeback feed would: the topics' contracts. */
class PaymentJsonTest {

    @Test
    void everyPaymentAndItsLabelConformInEveryRegime() {
        FraudWorld world = new FraudWorld(new FraudWorld.Settings(7_500, 200, 25, 5, "contract"));
        Instant time = Instant.parse("2026-11-22T12:00:00Z");
        for (Regime regime : new Regime[] {
            Regime.BASELINE, Regime.BASELINE.withCovariateShift(2.5, 0.3), Regime.BASELINE.withConcept(1)
        }) {
            for (int i = 0; i < 200; i++) {
                Payment payment = world.next(time, regime);
                time = payment.authorizedAt();
                EventContracts.assertConforms(
                        "transactions.v1", PaymentJson.record(payment).value());
                EventContracts.assertConforms("labels.v1", PaymentJson.label(payment, time.plus(Duration.ofHours(1))));
            }
        }
    }
}
