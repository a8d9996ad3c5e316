package dev.sextant.examples.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The example domain's synthetic card-payment world: cards, merchants, payments arriving in real time, and each
 * payment's true outcome (fraud or not). The demo plays it live; {@link FraudHistory} writes its past for the tests
 * and benchmarks that train. Its generative model, and the knobs that shift it, are documented in
 * {@code docs/synthetic-world.md}; the constants below are the ones that page names.
 *
 * <p>Cards and merchants are drawn once from the seed, so every run has the same population. Payments are a
 * Poisson process of {@code paymentsPerSecond}; each draws its card (in proportion to the card's activity), its
 * merchant (in proportion to the merchant's popularity), its amount (log-normal around the card's spending level)
 * and its country, then its outcome from a logistic model of those values. A {@link Regime} shifts the world:
 * the amounts and the share of payments abroad (covariate shift: p(x) moves, p(y | x) stays), the fraud pattern
 * (concept shift: p(y | x) moves), and the prevalence of fraud with p(x | y) unchanged (label shift).
 *
 * <p>Not thread-safe: one thread draws the payments.
 */
public final class FraudWorld {

    static final String[] HOME_COUNTRIES = {"FR", "DE", "ES", "IT"};
    static final double[] HOME_COUNTRY_WEIGHTS = {0.45, 0.25, 0.2, 0.1};
    static final String[] FOREIGN_COUNTRIES = {"US", "GB", "BR", "TH", "NG"};
    static final String[] CATEGORIES = {"grocery", "travel", "electronics", "fashion", "gaming"};
    static final double AMOUNT_SIGMA = 0.7;

    /**
     * @param cards how many cards pay (each in proportion to its activity)
     * @param merchants how many merchants accept payments
     * @param paymentsPerSecond the world's payment rate, in event time
     * @param seed the population and the payments drawn from it
     * @param runId part of every id (cards, merchants, payments), so that runs against the same platform keep
     *     their entities, windows and labels apart
     */
    public record Settings(int cards, int merchants, double paymentsPerSecond, long seed, String runId) {

        public Settings {
            if (cards < 1 || merchants < 1 || !(paymentsPerSecond > 0) || runId.isBlank()) {
                throw new IllegalArgumentException(
                        "cards and merchants must be at least 1, the rate positive and" + " the run id not blank");
            }
        }
    }

    /** A card and its profile (the {@code card_profile} view) with its hidden spending habits. */
    public record Card(
            String id, String homeCountry, int ageDays, boolean premium, double logAmountMean, double activity) {}

    /** A merchant and its profile (the {@code merchant_profile} view) with its hidden popularity. */
    public record Merchant(String id, double riskScore, String category, String country, double popularity) {}

    /**
     * One payment: authorised (and scored) at {@code authorizedAt}; {@code fraud} is its true outcome, which the world
     * reveals later as a label; {@code fraudProbability} is the probability the world drew it from.
     */
    public record Payment(
            String id,
            Card card,
            Merchant merchant,
            Instant authorizedAt,
            double amount,
            String country,
            boolean fraud,
            double fraudProbability) {

        public boolean foreign() {
            return !country.equals(card.homeCountry());
        }
    }

    /**
     * The state of the world that payments are drawn from.
     *
     * @param amountScale every amount is multiplied by it (covariate shift)
     * @param foreignShare the share of payments made abroad (covariate shift)
     * @param concept 0: fraud follows the baseline pattern (large payments, risky merchants, abroad, new cards);
     *     1: card testing (small payments at risky merchants, abroad); between: a blend of the two logits
     *     (concept shift)
     * @param fraudOdds the odds of fraud among payments are multiplied by it while each class keeps its
     *     distribution of payments (label shift)
     */
    public record Regime(double amountScale, double foreignShare, double concept, double fraudOdds) {

        public static final Regime BASELINE = new Regime(1, 0.1, 0, 1);

        public Regime {
            if (!(amountScale > 0)
                    || !(foreignShare >= 0 && foreignShare <= 1)
                    || !(concept >= 0 && concept <= 1)
                    || !(fraudOdds > 0)
                    || Double.isInfinite(amountScale)
                    || Double.isInfinite(fraudOdds)) {
                throw new IllegalArgumentException("amountScale and fraudOdds must be positive and finite,"
                        + " foreignShare and concept within [0, 1]; got " + amountScale + ", " + fraudOdds + ", "
                        + foreignShare + ", " + concept);
            }
        }

        public Regime withCovariateShift(double amountScale, double foreignShare) {
            return new Regime(amountScale, foreignShare, concept, fraudOdds);
        }

        public Regime withConcept(double concept) {
            return new Regime(amountScale, foreignShare, concept, fraudOdds);
        }

        public Regime withLabelShift(double fraudOdds) {
            return new Regime(amountScale, foreignShare, concept, fraudOdds);
        }
    }

    private final Settings settings;
    private final SplittableRandom random;
    private final List<Card> cards = new ArrayList<>();
    private final List<Merchant> merchants = new ArrayList<>();
    private final double[] cardWeights;
    private final double[] merchantWeights;
    private long sequence;

    public FraudWorld(Settings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        for (int i = 0; i < settings.cards(); i++) {
            boolean premium = random.nextDouble() < 0.2;
            cards.add(new Card(
                    String.format("card-%s-%05d", settings.runId(), i),
                    HOME_COUNTRIES[pick(cumulative(HOME_COUNTRY_WEIGHTS))],
                    random.nextInt(3001),
                    premium,
                    3.6 + (premium ? 0.4 : 0) + 0.5 * gaussian(),
                    // Gamma(2, 1/2): mean 1, so some cards pay several times as often as others.
                    -0.5 * (Math.log(1 - random.nextDouble()) + Math.log(1 - random.nextDouble()))));
        }
        for (int i = 0; i < settings.merchants(); i++) {
            merchants.add(new Merchant(
                    String.format("merchant-%s-%04d", settings.runId(), i),
                    random.nextDouble() * random.nextDouble(),
                    CATEGORIES[random.nextInt(CATEGORIES.length)],
                    HOME_COUNTRIES[random.nextInt(HOME_COUNTRIES.length)],
                    -Math.log(1 - random.nextDouble())));
        }
        this.cardWeights = cumulative(cards.stream().mapToDouble(Card::activity).toArray());
        this.merchantWeights =
                cumulative(merchants.stream().mapToDouble(Merchant::popularity).toArray());
    }

    public Settings settings() {
        return settings;
    }

    public List<Card> cards() {
        return List.copyOf(cards);
    }

    public List<Merchant> merchants() {
        return List.copyOf(merchants);
    }

    /**
     * The next payment after {@code previous} (a Poisson process of the world's rate), drawn from {@code regime}.
     * Under a label shift, candidate payments are thinned by their outcome until one is kept, so the kept ones
     * arrive at the world's rate.
     */
    public Payment next(Instant previous, Regime regime) {
        long gapNanos = (long) (-Math.log(1 - random.nextDouble()) / settings.paymentsPerSecond() * 1e9);
        Instant at = previous.plusNanos(Math.max(1_000, gapNanos));
        double keepFraud = Math.min(1, regime.fraudOdds());
        double keepLegitimate = Math.min(1, 1 / regime.fraudOdds());
        while (true) {
            Card card = cards.get(pick(cardWeights));
            Merchant merchant = merchants.get(pick(merchantWeights));
            double amount = Math.max(
                    0.5,
                    Math.round(Math.exp(card.logAmountMean() + AMOUNT_SIGMA * gaussian()) * regime.amountScale() * 100)
                            / 100.0);
            String country = random.nextDouble() < regime.foreignShare()
                    ? FOREIGN_COUNTRIES[random.nextInt(FOREIGN_COUNTRIES.length)]
                    : card.homeCountry();
            double probability = fraudProbability(card, merchant, amount, !country.equals(card.homeCountry()), regime);
            boolean fraud = random.nextDouble() < probability;
            if (random.nextDouble() < (fraud ? keepFraud : keepLegitimate)) {
                return new Payment(
                        "pay-" + settings.runId() + "-" + sequence++,
                        card,
                        merchant,
                        at,
                        amount,
                        country,
                        fraud,
                        probability);
            }
        }
    }

    /** The payments of {@code [from, to)} drawn from {@code regime}, in time order. */
    public List<Payment> between(Instant from, Instant to, Regime regime) {
        List<Payment> payments = new ArrayList<>();
        for (Payment payment = next(from, regime);
                payment.authorizedAt().isBefore(to);
                payment = next(payment.authorizedAt(), regime)) {
            payments.add(payment);
        }
        return payments;
    }

    /**
     * P(fraud | payment) before any label shift: the logistic model of the baseline pattern, blended with the card
     * testing pattern by {@code regime.concept()}. The baseline holds one interaction, as stolen cards show: a card
     * less than a year old used abroad is far riskier than its age and the country add up to (a linear model of
     * these features cannot learn it; trees can).
     */
    public static double fraudProbability(Card card, Merchant merchant, double amount, boolean foreign, Regime regime) {
        double logAmount = Math.log1p(amount);
        double ageYears = card.ageDays() / 365.0;
        double abroad = foreign ? 1 : 0;
        double newCardAbroad = foreign && card.ageDays() < 365 ? 1 : 0;
        double baseline = -7.6
                + 3.5 * merchant.riskScore()
                + 0.85 * logAmount
                + 1.6 * abroad
                - 0.2 * ageYears
                + 2.5 * newCardAbroad;
        double cardTesting = 1.2 - 1.2 * logAmount + 3.5 * merchant.riskScore() + 2.0 * abroad - 0.2 * ageYears;
        double logit = (1 - regime.concept()) * baseline + regime.concept() * cardTesting;
        return 1 / (1 + Math.exp(-logit));
    }

    private double gaussian() {
        // Box–Muller; SplittableRandom has no nextGaussian on Java 17.
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static double[] cumulative(double[] weights) {
        double[] sums = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            sums[i] = sum;
        }
        return sums;
    }

    /** An index drawn in proportion to the weights whose running sums are given. */
    private int pick(double[] sums) {
        int found = Arrays.binarySearch(sums, random.nextDouble() * sums[sums.length - 1]);
        return Math.min(sums.length - 1, found >= 0 ? found + 1 : -found - 1);
    }
}
