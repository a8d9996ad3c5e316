package dev.sextant.demo;

import dev.sextant.examples.fraud.FraudWorld;
import dev.sextant.examples.fraud.FraudWorld.Payment;
import dev.sextant.examples.fraud.FraudWorld.Regime;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The world in real time: its payments happen at their authorisation times on the wall clock. Once scoring is on,
 * each is scored through the domain API (open loop: a slow answer delays nothing else), then recorded on
 * {@code transactions.v1}, which the feature store's stream turns into the card's and merchant's windows that later
 * payments are scored with; before that, recorded as they happen. Either way a payment is dated by its authorisation.
 * Each payment's outcome is published on {@code labels.v1} {@code labelDelay} after it happened: the demo's dispute
 * window, seconds instead of weeks, so that monitoring measures the model on fresh outcomes and a retraining learns
 * from them within minutes.
 */
final class LiveWorld implements AutoCloseable {

    private final FraudWorld world;
    private final KafkaProducer<String, String> producer;
    private final Duration labelDelay;
    private final ExecutorService clients = Executors.newFixedThreadPool(16, daemon("demo-client"));
    private final ScheduledExecutorService outcomes = Executors.newSingleThreadScheduledExecutor(daemon("demo-labels"));
    private final Thread clock;
    private final AtomicInteger happened = new AtomicInteger();
    private final AtomicReference<Payment> latest = new AtomicReference<>();
    private volatile Regime regime = Regime.BASELINE;
    private volatile String scoringUrl;
    private volatile String scoringKey = "";
    private volatile Stretch stretch = new Stretch();
    private volatile boolean running = true;

    /** Starts the world's clock at {@code from} (payments already due are made at once). */
    LiveWorld(FraudWorld world, KafkaProducer<String, String> producer, Instant from, Duration labelDelay) {
        this.world = world;
        this.producer = producer;
        this.labelDelay = labelDelay;
        this.clock = daemon("demo-world").newThread(() -> run(from));
        clock.start();
    }

    /** From now on payments are drawn from {@code regime}. */
    void shift(Regime regime) {
        this.regime = regime;
    }

    Regime regime() {
        return regime;
    }

    /** From now on every payment is scored at {@code baseUrl}'s domain API with {@code apiKey} (none when empty). */
    void scoreAt(String baseUrl, String apiKey) {
        this.scoringKey = apiKey;
        this.scoringUrl = baseUrl + "/api/v1/predict/" + Api.MODEL;
    }

    /** A new stretch of scored payments to measure, starting now. */
    Stretch measure() {
        Stretch next = new Stretch();
        stretch = next;
        return next;
    }

    int happened() {
        return happened.get();
    }

    Payment latest() {
        return latest.get();
    }

    private void run(Instant from) {
        Instant time = from;
        while (running) {
            Payment payment = world.next(time, regime);
            time = payment.authorizedAt();
            long wait = Duration.between(Instant.now(), time).toMillis();
            try {
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            } catch (InterruptedException e) {
                return;
            }
            String url = scoringUrl;
            if (url == null) {
                record(payment);
            } else {
                Stretch measured = stretch;
                String key = scoringKey;
                clients.execute(() -> score(url, key, payment, measured));
            }
            outcomes.schedule(
                    () -> producer.send(
                            new ProducerRecord<>("labels.v1", payment.id(), PaymentJson.label(payment, Instant.now()))),
                    labelDelay.toMillis(),
                    TimeUnit.MILLISECONDS);
            happened.incrementAndGet();
            latest.set(payment);
        }
    }

    private void score(String url, String key, Payment payment, Stretch measured) {
        long started = System.nanoTime();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("X-Request-Id", payment.id())
                    .POST(HttpRequest.BodyPublishers.ofString(PaymentJson.predictRequest(payment)));
            if (!key.isEmpty()) {
                request.header("X-API-Key", key);
            }
            HttpResponse<String> answer = Api.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            measured.answered(System.nanoTime() - started, answer.statusCode(), answer.body());
        } catch (Exception e) {
            measured.failed(payment.id() + ": " + e);
        } finally {
            record(payment);
        }
    }

    private void record(Payment payment) {
        producer.send(PaymentJson.record(payment));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        clock.interrupt();
        clock.join(5_000);
        clients.shutdown();
        clients.awaitTermination(15, TimeUnit.SECONDS);
        outcomes.shutdownNow();
        producer.flush();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** What a stretch of scored payments saw: latencies, failures, the model versions that answered. */
    static final class Stretch {

        private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        private final Set<Integer> versions = ConcurrentHashMap.newKeySet();
        private final AtomicInteger answered = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicReference<String> firstFailure = new AtomicReference<>("");

        void answered(long nanos, int status, String body) {
            this.nanos.add(nanos);
            if (status == 200) {
                versions.add(Api.json(body).path("version").asInt());
            } else {
                failure(status + " " + body);
            }
            answered.incrementAndGet();
        }

        /** No answer: refused, reset or timed out. */
        void failed(String why) {
            failure(why);
            answered.incrementAndGet();
        }

        private void failure(String why) {
            failures.incrementAndGet();
            firstFailure.compareAndSet("", why);
        }

        int answered() {
            return answered.get();
        }

        int failures() {
            return failures.get();
        }

        Set<Integer> versions() {
            return Set.copyOf(versions);
        }

        String firstFailure() {
            return firstFailure.get();
        }

        long percentile(double q) {
            List<Long> sorted;
            synchronized (nanos) {
                sorted = new ArrayList<>(nanos);
            }
            Collections.sort(sorted);
            return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size())));
        }

        /** Waits until {@code count} payments of the stretch have been answered (or failed). */
        void await(int count, Duration patience) throws Exception {
            Api.poll(
                    "fewer than " + count + " payments were scored within " + patience.toSeconds() + " s",
                    patience,
                    this::answered,
                    answered -> answered >= count);
        }

        String summary() {
            return String.format(
                    Locale.ROOT,
                    "%d payments scored, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed%s",
                    answered(),
                    percentile(0.5) / 1e6,
                    percentile(0.99) / 1e6,
                    percentile(1.0) / 1e6,
                    failures(),
                    failures() == 0 ? "" : " (first: " + firstFailure() + ")");
        }
    }
}
