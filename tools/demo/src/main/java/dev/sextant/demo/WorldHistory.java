package dev.sextant.demo;

import static dev.sextant.demo.Api.ADMIN_KEY;
import static dev.sextant.demo.Api.detail;
import static dev.sextant.demo.Api.get;
import static dev.sextant.demo.Api.poll;
import static dev.sextant.demo.Api.post;
import static dev.sextant.demo.Api.step;

import dev.sextant.examples.fraud.FraudWorld;
import dev.sextant.examples.fraud.FraudWorld.Payment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The synthetic world's past, before the first model: card profiles materialized from the offline store, merchant
 * profiles pushed, the history's payments through the feature store's stream, the outcomes known by now as labels;
 * then the wait until the stream has used and stored every payment and the orchestrator has archived the labels.
 */
final class WorldHistory {

    /** The history's outcomes are known this long after each payment: the world's dispute window. */
    static final Duration DISPUTE_WINDOW = Duration.ofMinutes(20);

    private final FraudWorld world;
    private final DemoOptions platform;

    WorldHistory(FraudWorld world, DemoOptions platform) {
        this.world = world;
        this.platform = platform;
    }

    /** What was written: the history's payments, and the labels the archive holds once it has them all. */
    record Written(int payments, long labels) {}

    /**
     * Writes the profiles and the history.
     *
     * @param history the world's payments from {@code from} to {@code now}, oldest first
     */
    Written write(KafkaProducer<String, String> producer, List<Payment> history, Instant from, Instant now)
            throws Exception {
        profiles(from.minus(Duration.ofDays(1)), now);
        long archived = labelsArchived();
        int labelled = stream(producer, history, Duration.between(from, now), now);
        return new Written(history.size(), archived + labelled);
    }

    /**
     * Card profiles are a batch view: written to the offline store (as a nightly export would), then materialized
     * to the online store. Merchant profiles are a push view: pushed online and offline at once.
     */
    private void profiles(Instant asOf, Instant now) throws Exception {
        String gateway = platform.gateway();
        step(String.format(
                Locale.ROOT,
                "Features. Card profiles (a batch view) of the %,d cards written to the"
                        + " offline store, then materialized online; profiles of the %,d merchants pushed online and offline",
                world.cards().size(),
                world.merchants().size()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (FraudWorld.Card card : world.cards()) {
            rows.add(Map.of(
                    "card_id", card.id(),
                    "event_timestamp", asOf.toString(),
                    "home_country", card.homeCountry(),
                    "card_age_days", card.ageDays(),
                    "is_premium", card.premium()));
        }
        for (int from = 0; from < rows.size(); from += 5_000) {
            push("card_profile", "offline", rows.subList(from, Math.min(rows.size(), from + 5_000)));
        }
        detail("POST /api/v1/features/materialize: "
                + post(
                        gateway + "/api/v1/features/materialize",
                        ADMIN_KEY,
                        Api.JSON.writeValueAsString(Map.of(
                                "feature_views",
                                List.of("card_profile"),
                                "start",
                                asOf.toString(),
                                "end",
                                now.toString()))));
        rows.clear();
        for (FraudWorld.Merchant merchant : world.merchants()) {
            rows.add(Map.of(
                    "merchant_id", merchant.id(),
                    "event_timestamp", asOf.toString(),
                    "risk_score", Math.round(merchant.riskScore() * 10_000) / 10_000.0,
                    "category", merchant.category(),
                    "country", merchant.country()));
        }
        detail("POST /api/v1/features/push merchant_profile: " + push("merchant_profile", "online_and_offline", rows));
    }

    private String push(String view, String to, List<Map<String, Object>> rows) throws Exception {
        return post(
                        platform.gateway() + "/api/v1/features/push",
                        ADMIN_KEY,
                        Api.JSON.writeValueAsString(Map.of("feature_view", view, "to", to, "rows", rows)))
                .toString();
    }

    /** The history's payments to transactions.v1 and the outcomes known by {@code now} to labels.v1. */
    private int stream(KafkaProducer<String, String> producer, List<Payment> history, Duration span, Instant now) {
        step(String.format(
                Locale.ROOT,
                "The world's last %d hours: %,d payments to transactions.v1, where the feature"
                        + " store's stream computes each card's and merchant's 10-minute and 1-hour windows (online, and"
                        + " offline for training); the outcomes known by now (%d minutes after each payment) to labels.v1",
                span.toHours(),
                history.size(),
                DISPUTE_WINDOW.toMinutes()));
        int labelled = 0;
        for (Payment payment : history) {
            ProducerRecord<String, String> transaction = PaymentJson.record(payment);
            producer.send(transaction);
            Instant known = payment.authorizedAt().plus(DISPUTE_WINDOW);
            if (!known.isAfter(now)) {
                String label = PaymentJson.label(payment, known);
                producer.send(new ProducerRecord<>("labels.v1", payment.id(), label));
                if (labelled++ == 0) {
                    detail(transaction.value());
                    detail(label);
                }
            }
        }
        producer.flush();
        return labelled;
    }

    /**
     * Waits until the feature store's stream has used every payment of the history and appended the rows of its
     * next commit to the offline store (its counters: the stream appends offline when it commits, and the live
     * world's payments, flowing by now, give every commit rows), and until the training orchestrator has archived
     * the labels.
     */
    void awaitTakenIn(Written written) throws Exception {
        int payments = written.payments();
        long labels = written.labels();
        long started = System.nanoTime();
        for (String view : List.of("card_txn_stats", "merchant_txn_stats")) {
            String used = platform.featureStore() + "/actuator/metrics/sextant.features.stream.events?tag=view:" + view
                    + "&tag=outcome:used";
            poll(
                    "the stream did not use the history within 180 s",
                    Duration.ofSeconds(180),
                    () -> count(used),
                    n -> n >= payments);
            // The rows of the events used since the last commit go offline at the next one.
            String offline = platform.featureStore() + "/actuator/metrics/sextant.features.stream.rows?tag=view:" + view
                    + "&tag=store:offline";
            double appended = count(offline);
            poll(
                    "the stream appended nothing offline within 30 s of using the history",
                    Duration.ofSeconds(30),
                    () -> count(offline),
                    n -> n > appended);
        }
        poll(
                "the labels did not reach the archive within 120 s",
                Duration.ofSeconds(120),
                this::labelsArchived,
                n -> n >= labels);
        detail(String.format(
                Locale.ROOT,
                "streamed (both views, online and offline) and archived in %.0f s; the label archive: %s",
                (System.nanoTime() - started) / 1e9,
                get(platform.gateway() + "/api/v1/training/labels")));
    }

    /** A counter of the feature store's, 0 until it exists. */
    private static double count(String metric) {
        try {
            return get(metric).path("measurements").path(0).path("value").asDouble();
        } catch (Exception e) {
            return 0;
        }
    }

    private long labelsArchived() {
        try {
            return get(platform.gateway() + "/api/v1/training/labels")
                    .path("labels")
                    .asLong(-1);
        } catch (Exception e) {
            return -1;
        }
    }
}
