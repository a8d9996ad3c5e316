package dev.sextant.gateway.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.admission.Admission;
import dev.sextant.admission.AdmissionProperties;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class AdmissionWebFilterTest {

    private final Admission admission = new Admission(
            "gateway", new AdmissionProperties(true, 1, 1, 1, 2, List.of("/api/", "/v2/"), Duration.ofSeconds(1)));
    private final AdmissionWebFilter filter = new AdmissionWebFilter(provider(admission));

    @Test
    void aRequestBeyondTheLimitIsRefused503WithRetryAfterBeforeAnyOtherWork() {
        Sinks.Empty<Void> backend = Sinks.empty();
        MockServerWebExchange held = exchange("/v2/models/fraud/infer");
        Disposable holding = filter.filter(held, e -> backend.asMono()).subscribe();
        assertThat(admission.inflight()).isEqualTo(1);

        MockServerWebExchange refused = exchange("/api/v1/predict/fraud");
        boolean[] reached = {false};
        filter.filter(refused, e -> Mono.fromRunnable(() -> reached[0] = true)).block(Duration.ofSeconds(5));
        assertThat(reached[0]).as("a refused request goes no further").isFalse();
        assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refused.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(refused.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
                .contains("gateway is at its concurrency limit (1 requests in flight); retry in 1 s");

        MockServerWebExchange health = exchange("/actuator/health");
        filter.filter(health, e -> Mono.empty()).block(Duration.ofSeconds(5));
        assertThat(health.getResponse().getStatusCode())
                .as("outside the API nothing is refused")
                .isNull();

        held.getResponse().setStatusCode(HttpStatus.OK);
        backend.tryEmitEmpty();
        assertThat(admission.inflight())
                .as("the permit is given back when the exchange ends")
                .isZero();
        holding.dispose();
    }

    @Test
    void aCancelledExchangeGivesItsPermitBack() {
        Disposable cancelled = filter.filter(exchange("/v2/models/fraud/infer"), e -> Mono.never())
                .subscribe();
        assertThat(admission.inflight()).isEqualTo(1);
        cancelled.dispose();
        assertThat(admission.inflight()).isZero();
    }

    private static MockServerWebExchange exchange(String path) {
        return MockServerWebExchange.from(MockServerHttpRequest.post(path));
    }

    private static org.springframework.beans.factory.ObjectProvider<Admission> provider(Admission admission) {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("admission", admission);
        return beans.getBeanProvider(Admission.class);
    }
}
