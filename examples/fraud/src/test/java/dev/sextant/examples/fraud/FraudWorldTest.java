package dev.sextant.examples.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.examples.fraud.FraudWorld.Payment;
import dev.sextant.examples.fraud.FraudWorld.Regime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The generative model keeps the promises docs/synthetic-world.md makes: a covariate shift moves the payments and
 * not the outcome model, a concept shift moves the outcomes and not the payments, a label shift moves the
 * prevalence and keeps each class's payments. Statistical checks on 200,000 payments, with tolerances several
 * standard errors wide (the draws are seeded, so the checks are also repeatable).
 */
class FraudWorldTest {

    private static final int PAYMENTS = 200_000;
    private static final Regime BASELINE = Regime.BASELINE;

    @Test
    void theSameSeedDrawsTheSameWorld() {
        List<Payment> first = draw(world(7), 1_000, BASELINE);
        List<Payment> second = draw(world(7), 1_000, BASELINE);
        assertThat(world(7).cards()).isEqualTo(world(7).cards());
        assertThat(second).isEqualTo(first);
        assertThat(draw(world(8), 1_000, BASELINE)).isNotEqualTo(first);
    }

    @Test
    void paymentsArriveAtTheWorldsRate() {
        List<Payment> payments = draw(world(1), 50_000, BASELINE);
        double seconds = Duration.between(
                                Instant.EPOCH, payments.get(payments.size() - 1).authorizedAt())
                        .toNanos()
                / 1e9;
        assertThat(payments.size() / seconds).isCloseTo(25, within(0.5));
        assertThat(world(1).between(Instant.EPOCH, Instant.EPOCH.plusSeconds(3_600), BASELINE))
                .hasSizeBetween(88_000, 92_000)
                .allMatch(payment -> payment.authorizedAt().isBefore(Instant.EPOCH.plusSeconds(3_600)));
    }

    @Test
    void theBaselineFraudIsRareAndLikelierForLargePaymentsAbroadAtRiskyMerchants() {
        List<Payment> payments = draw(world(2), PAYMENTS, BASELINE);
        assertThat(fraudRate(payments, payment -> true)).isBetween(0.02, 0.05);
        assertThat(fraudRate(payments, payment -> payment.amount() > 100))
                .isGreaterThan(2 * fraudRate(payments, payment -> payment.amount() < 20));
        assertThat(fraudRate(payments, Payment::foreign))
                .isGreaterThan(2 * fraudRate(payments, payment -> !payment.foreign()));
        assertThat(fraudRate(payments, payment -> payment.merchant().riskScore() > 0.5))
                .isGreaterThan(
                        2 * fraudRate(payments, payment -> payment.merchant().riskScore() < 0.1));
        assertThat(share(payments, Payment::foreign)).isCloseTo(0.1, within(0.005));
        // The interaction: abroad, a card under a year old is riskier than a card of one to two years by far more
        // than the 0.2 a year of age makes at home.
        double newAbroad = fraudRate(payments, p -> p.foreign() && p.card().ageDays() < 365);
        double olderAbroad = fraudRate(
                payments,
                p -> p.foreign() && p.card().ageDays() >= 365 && p.card().ageDays() < 730);
        double newHome = fraudRate(payments, p -> !p.foreign() && p.card().ageDays() < 365);
        double olderHome = fraudRate(
                payments,
                p -> !p.foreign() && p.card().ageDays() >= 365 && p.card().ageDays() < 730);
        assertThat(newAbroad / olderAbroad).isGreaterThan(4);
        assertThat(newHome / olderHome).isLessThan(1.6);
    }

    @Test
    void aCovariateShiftMovesThePaymentsButNotTheOutcomeModel() {
        Regime shifted = BASELINE.withCovariateShift(2.5, 0.3);
        List<Payment> before = draw(world(3), PAYMENTS, BASELINE);
        List<Payment> after = draw(world(3), PAYMENTS, shifted);

        assertThat(median(after, payment -> true) / median(before, payment -> true))
                .isCloseTo(2.5, within(0.08));
        assertThat(share(after, Payment::foreign)).isCloseTo(0.3, within(0.005));
        // p(y | x) is the same function: each payment's probability is what the baseline gives the same values.
        assertThat(after).allSatisfy(payment -> assertThat(payment.fraudProbability())
                .isEqualTo(FraudWorld.fraudProbability(
                        payment.card(), payment.merchant(), payment.amount(), payment.foreign(), BASELINE)));
        // ... and so the observed fraud rate among like payments is the same on both sides of the shift.
        Predicate<Payment> like = payment -> !payment.foreign() && payment.amount() >= 60 && payment.amount() < 120;
        assertThat(fraudRate(after, like)).isCloseTo(fraudRate(before, like), within(0.006));
    }

    @Test
    void aConceptShiftMovesTheOutcomesButNotThePayments() {
        Regime cardTesting = BASELINE.withConcept(1);
        List<Payment> before = draw(world(4), PAYMENTS, BASELINE);
        List<Payment> after = draw(world(4), PAYMENTS, cardTesting);

        assertThat(median(after, payment -> true)).isCloseTo(median(before, payment -> true), within(1.0));
        assertThat(share(after, Payment::foreign)).isCloseTo(share(before, Payment::foreign), within(0.004));
        // Fraud moves from large payments to small ones.
        assertThat(fraudRate(after, payment -> payment.amount() < 20))
                .isGreaterThan(2 * fraudRate(after, payment -> payment.amount() > 100));
        assertThat(fraudRate(after, payment -> payment.amount() < 20))
                .isGreaterThan(3 * fraudRate(before, payment -> payment.amount() < 20));
        // Halfway is a blend of the two logits.
        Payment payment = after.get(0);
        double logitBefore = logit(FraudWorld.fraudProbability(
                payment.card(), payment.merchant(), payment.amount(), payment.foreign(), BASELINE));
        double logitAfter = logit(payment.fraudProbability());
        assertThat(logit(FraudWorld.fraudProbability(
                        payment.card(),
                        payment.merchant(),
                        payment.amount(),
                        payment.foreign(),
                        BASELINE.withConcept(0.5))))
                .isCloseTo((logitBefore + logitAfter) / 2, within(1e-9));
    }

    @Test
    void aLabelShiftMovesThePrevalenceAndKeepsEachClasssPayments() {
        List<Payment> before = draw(world(5), PAYMENTS, BASELINE);
        List<Payment> after = draw(world(5), PAYMENTS, BASELINE.withLabelShift(3));

        double oddsBefore = odds(fraudRate(before, payment -> true));
        double oddsAfter = odds(fraudRate(after, payment -> true));
        assertThat(oddsAfter / oddsBefore).isCloseTo(3, within(0.3));
        // p(x | y) unchanged: the amounts of frauds, and of legitimate payments, are distributed as before.
        assertThat(median(after, Payment::fraud) / median(before, Payment::fraud))
                .isCloseTo(1, within(0.06));
        assertThat(median(after, payment -> !payment.fraud()) / median(before, payment -> !payment.fraud()))
                .isCloseTo(1, within(0.03));
        assertThat(share(after.stream().filter(Payment::fraud).toList(), Payment::foreign))
                .isCloseTo(share(before.stream().filter(Payment::fraud).toList(), Payment::foreign), within(0.03));

        double oddsFewer = odds(fraudRate(draw(world(5), PAYMENTS, BASELINE.withLabelShift(0.5)), payment -> true));
        assertThat(oddsFewer / oddsBefore).isCloseTo(0.5, within(0.06));
        // Thinning by outcome keeps the arrival rate.
        double seconds =
                Duration.between(Instant.EPOCH, after.get(after.size() - 1).authorizedAt())
                                .toNanos()
                        / 1e9;
        assertThat(after.size() / seconds).isCloseTo(25, within(0.5));
    }

    @Test
    void knobsOutsideTheirRangeAreRefused() {
        assertThatThrownBy(() -> BASELINE.withCovariateShift(0, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BASELINE.withCovariateShift(1, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BASELINE.withConcept(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BASELINE.withLabelShift(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BASELINE.withLabelShift(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FraudWorld.Settings(0, 1, 1, 1, "run"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static FraudWorld world(long seed) {
        return new FraudWorld(new FraudWorld.Settings(7_500, 200, 25, seed, "test"));
    }

    private static List<Payment> draw(FraudWorld world, int count, Regime regime) {
        List<Payment> payments = new ArrayList<>(count);
        Instant time = Instant.EPOCH;
        for (int i = 0; i < count; i++) {
            Payment payment = world.next(time, regime);
            payments.add(payment);
            time = payment.authorizedAt();
        }
        return payments;
    }

    private static double fraudRate(List<Payment> payments, Predicate<Payment> which) {
        List<Payment> selected = payments.stream().filter(which).toList();
        return (double) selected.stream().filter(Payment::fraud).count() / selected.size();
    }

    private static double share(List<Payment> payments, Predicate<Payment> which) {
        return (double) payments.stream().filter(which).count() / payments.size();
    }

    private static double median(List<Payment> payments, Predicate<Payment> which) {
        double[] amounts = payments.stream()
                .filter(which)
                .mapToDouble(Payment::amount)
                .sorted()
                .toArray();
        return amounts[amounts.length / 2];
    }

    private static double odds(double probability) {
        return probability / (1 - probability);
    }

    private static double logit(double probability) {
        return Math.log(probability / (1 - probability));
    }
}
