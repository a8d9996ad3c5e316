package dev.sextant.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Reading a Prometheus exposition, and percentiles between two scrapes of a histogram. */
class PrometheusTextTest {

    @Test
    void readsSamplesWithTheirLabelsAndSkipsComments() {
        List<PrometheusText.Sample> samples = PrometheusText.parse(
                """
                # HELP http_server_requests_seconds Duration of HTTP server request handling
                # TYPE http_server_requests_seconds histogram
                http_server_requests_seconds_bucket{application="gateway",uri="/v2/{x}",le="0.005"} 42.0
                http_server_requests_seconds_count{application="gateway",detail="say \\"hi\\", then go",uri="/a"} 7
                process_uptime_seconds 12.5
                """);
        assertThat(samples).hasSize(3);
        assertThat(samples.get(0).labels())
                .containsExactly(
                        Map.entry("application", "gateway"), Map.entry("uri", "/v2/{x}"), Map.entry("le", "0.005"));
        assertThat(samples.get(0).value()).isEqualTo(42.0);
        assertThat(samples.get(1).labels()).containsEntry("detail", "say \"hi\", then go");
        assertThat(samples.get(2).name()).isEqualTo("process_uptime_seconds");
        assertThat(samples.get(2).labels()).isEmpty();
    }

    @Test
    void percentilesInterpolateWithinTheBucketAsPrometheusDoes() {
        double inf = Double.POSITIVE_INFINITY;
        TreeMap<Double, Double> before = new TreeMap<>(Map.of(0.001, 10.0, 0.002, 10.0, 0.004, 10.0, inf, 10.0));
        TreeMap<Double, Double> now = new TreeMap<>(Map.of(0.001, 60.0, 0.002, 100.0, 0.004, 110.0, inf, 110.0));
        // 100 requests: 50 under 1 ms, 40 in (1, 2] ms, 10 in (2, 4] ms.
        assertThat(PrometheusText.quantile(0.5, now, before)).isCloseTo(1.0, within(1e-9));
        assertThat(PrometheusText.quantile(0.7, now, before)).isCloseTo(1.5, within(1e-9));
        assertThat(PrometheusText.quantile(0.99, now, before)).isCloseTo(3.8, within(1e-9));
        assertThat(PrometheusText.quantile(0.5, before, before))
                .as("no requests")
                .isNull();
    }

    @Test
    void histogramsWithDifferentBoundsMergeWithoutCountingAnObservationBelowItsBucket() {
        List<PrometheusText.Sample> samples = PrometheusText.parse(
                """
                http_server_requests_seconds_bucket{uri="/v2/models",le="0.001"} 3
                http_server_requests_seconds_bucket{uri="/v2/models",le="0.004"} 4
                http_server_requests_seconds_bucket{uri="/v2/models",le="+Inf"} 4
                http_server_requests_seconds_count{uri="/v2/models"} 4
                http_server_requests_seconds_sum{uri="/v2/models"} 0.006
                http_server_requests_seconds_bucket{uri="/actuator/prometheus",le="0.001"} 9
                http_server_requests_seconds_bucket{uri="/actuator/prometheus",le="+Inf"} 9
                http_server_requests_seconds_count{uri="/actuator/prometheus"} 9
                sextant_prediction_requests_seconds_bucket{model="m",le="0.002"} 10
                sextant_prediction_requests_seconds_bucket{model="m",le="+Inf"} 20
                sextant_prediction_requests_seconds_count{model="m"} 20
                sextant_prediction_requests_seconds_sum{model="m"} 0.05
                sextant_prediction_requests_seconds_max{model="m"} 0.009
                """);

        PrometheusText.Histogram requests = PrometheusText.Histogram.of(
                samples,
                sample -> !sample.labels().getOrDefault("uri", "").startsWith("/actuator"),
                "http_server_requests_seconds",
                "sextant_prediction_requests_seconds");

        assertThat(requests.count()).isEqualTo(24);
        assertThat(requests.sum()).isCloseTo(0.056, within(1e-12));
        double inf = Double.POSITIVE_INFINITY;
        assertThat(requests.buckets())
                .containsExactly(
                        Map.entry(0.001, 3.0), Map.entry(0.002, 13.0), Map.entry(0.004, 14.0), Map.entry(inf, 24.0));
    }
}
