package dev.sextant.monitoring.dashboard;

import dev.sextant.metrics.PrometheusText;
import dev.sextant.metrics.PrometheusText.Sample;
import dev.sextant.monitoring.MonitoringProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's view of every box of the diagram. Every {@code dashboard.probe-interval} each service is asked for
 * its health ({@code /actuator/health}, with Redis's from the feature store's) and its metrics
 * ({@code /actuator/prometheus}); two successive scrapes give its request rate and latency percentiles from the
 * request timers it records ({@link #REQUEST_TIMERS}: Spring's {@code http.server.requests}, actuator requests left
 * out, and the prediction service's {@code sextant.prediction.requests}, which alone measures its infer and predict
 * requests) and, from the prediction service, the traffic of each model version. Kafka's state is the broker's answer to this service's admin client. The last
 * {@link #HISTORY} probes are kept for the charts.
 */
@Component
public class ServiceProbes {

    static final int HISTORY = 120;

    /** The request timers the services record, as Prometheus histograms; a request is measured by one of them. */
    static final String[] REQUEST_TIMERS = {"http_server_requests_seconds", "sextant_prediction_requests_seconds"};

    /** One probe of one service. Rates and percentiles are null until two scrapes can be compared. */
    public record Probe(Instant time, String status, Double requestsPerSecond, Double p50Millis, Double p99Millis) {}

    /** A service's latest probe, its history and, for the feature store, Redis's health. */
    public record ServiceState(String name, String url, Probe latest, List<Probe> history, String redis) {}

    private record Scrape(long nanos, double requests, TreeMap<Double, Double> buckets, Map<String, Double> traffic) {}

    private final Map<String, URI> services;
    private final JsonMapper json;
    private final KafkaAdmin kafkaAdmin;
    private final Clock clock;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, Scrape> previous = new HashMap<>();
    private final Map<String, Deque<Probe>> histories = new ConcurrentHashMap<>();
    private final Map<String, String> redis = new ConcurrentHashMap<>();
    private volatile Map<String, Double> traffic = Map.of();
    private volatile String kafka = "UNKNOWN";
    private final MeterRegistry meters;
    private Admin admin;
    private long logsAt;
    private double logsCount;
    private volatile double logsPerSecond;

    ServiceProbes(
            MonitoringProperties.Dashboard dashboard,
            JsonMapper json,
            KafkaAdmin kafkaAdmin,
            MeterRegistry meters,
            Clock clock) {
        this.services = dashboard.services();
        this.json = json;
        this.kafkaAdmin = kafkaAdmin;
        this.meters = meters;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${sextant.monitoring.dashboard.probe-interval}", initialDelay = 1000)
    void probe() {
        services.forEach(this::probe);
        kafka = kafkaStatus();
        Counter accepted = meters.find("sextant.monitoring.logs")
                .tag("outcome", "accepted")
                .counter();
        long now = System.nanoTime();
        double count = accepted == null ? 0 : accepted.count();
        if (logsAt != 0) {
            logsPerSecond = Math.max(0, count - logsCount) / ((now - logsAt) / 1e9);
        }
        logsAt = now;
        logsCount = count;
    }

    void probe(String name, URI url) {
        String status = "DOWN";
        try {
            JsonNode health = json.readTree(get(url.resolve("/actuator/health")).body());
            status = health.path("status").asString("UNKNOWN");
            JsonNode store = health.path("components").path("redis").path("status");
            if (store.isString()) {
                redis.put(name, store.asString());
            }
        } catch (IOException | RuntimeException e) {
            redis.remove(name);
        }
        Probe probe = new Probe(clock.instant(), status, null, null, null);
        Scrape scrape = "DOWN".equals(status) ? null : scrape(url);
        Scrape before = scrape == null ? null : previous.put(name, scrape);
        if (scrape == null) {
            previous.remove(name);
        } else if (before != null && scrape.nanos() > before.nanos()) {
            double seconds = (scrape.nanos() - before.nanos()) / 1e9;
            double requests = Math.max(0, scrape.requests() - before.requests());
            probe = new Probe(
                    probe.time(),
                    status,
                    requests / seconds,
                    PrometheusText.quantile(0.5, scrape.buckets(), before.buckets()),
                    PrometheusText.quantile(0.99, scrape.buckets(), before.buckets()));
            if (!scrape.traffic().isEmpty()) {
                Map<String, Double> rates = new LinkedHashMap<>();
                scrape.traffic()
                        .forEach((version, count) -> rates.put(
                                version, Math.max(0, count - before.traffic().getOrDefault(version, 0.0)) / seconds));
                traffic = rates;
            }
        }
        Deque<Probe> history = histories.computeIfAbsent(name, n -> new ArrayDeque<>());
        synchronized (history) {
            history.addLast(probe);
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
    }

    private Scrape scrape(URI url) {
        try {
            HttpResponse<String> response = get(url.resolve("/actuator/prometheus"));
            if (response.statusCode() != 200) {
                return null;
            }
            List<Sample> samples = PrometheusText.parse(response.body());
            PrometheusText.Histogram requests = PrometheusText.Histogram.of(
                    samples,
                    sample -> !sample.labels().getOrDefault("uri", "").startsWith("/actuator"),
                    REQUEST_TIMERS);
            Map<String, Double> versions = new LinkedHashMap<>();
            for (Sample sample : samples) {
                if (sample.name().equals("sextant_prediction_requests_seconds_count")) {
                    versions.merge(
                            sample.labels().get("model") + "/" + sample.labels().get("version"),
                            sample.value(),
                            Double::sum);
                }
            }
            return new Scrape(System.nanoTime(), requests.count(), requests.buckets(), versions);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException {
        try {
            return http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String kafkaStatus() {
        try {
            if (admin == null) {
                admin = Admin.create(kafkaAdmin.getConfigurationProperties());
            }
            admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
            return "UP";
        } catch (Exception e) {
            return "DOWN";
        }
    }

    public List<ServiceState> services() {
        return services.entrySet().stream()
                .map(service -> {
                    Deque<Probe> history = histories.getOrDefault(service.getKey(), new ArrayDeque<>());
                    List<Probe> probes;
                    synchronized (history) {
                        probes = List.copyOf(history);
                    }
                    Probe latest = probes.isEmpty() ? null : probes.get(probes.size() - 1);
                    return new ServiceState(
                            service.getKey(),
                            service.getValue().toString(),
                            latest,
                            probes,
                            redis.get(service.getKey()));
                })
                .toList();
    }

    /** Requests per second of each model version ({@code model/version}) at the prediction service. */
    public Map<String, Double> traffic() {
        return traffic;
    }

    public String kafka() {
        return kafka;
    }

    /** Prediction logs aggregated per second by this service, at the last probe. */
    public double logsPerSecond() {
        return logsPerSecond;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
