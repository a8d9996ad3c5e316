package dev.sextant.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.RedisServer;
import dev.sextant.testsupport.ServiceJar;
import dev.sextant.testsupport.WithKafka;
import dev.sextant.testsupport.WithRedis;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The gateway in front of the real model registry and prediction service (their packaged jars, built by the
 * reactor before this module) and a real Kafka: an administrator uploads and promotes a model through the
 * gateway, a predicting client scores with it through the gateway and may not upload, and the trace the gateway
 * starts reaches the prediction log on Kafka.
 */
@WithRedis
@WithKafka
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayEndToEndIT {

    private static final String KAFKA = KafkaBroker.shared().bootstrapServers();
    private static final ServiceJar REGISTRY = start("model-registry", "--spring.kafka.bootstrap-servers=" + KAFKA);
    private static final ServiceJar PREDICTION = startBeside(
            REGISTRY,
            "prediction-service",
            "--spring.kafka.bootstrap-servers=" + KAFKA,
            "--sextant.prediction.registry.url=" + REGISTRY.url());

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", () -> RedisServer.shared().url());
        registry.add("MODEL_REGISTRY_URL", REGISTRY::url);
        registry.add("PREDICTION_SERVICE_URL", PREDICTION::url);
        GatewayTestSupport.apiKeys(registry);
    }

    @AfterAll
    static void stopServices() throws InterruptedException {
        PREDICTION.close();
        REGISTRY.close();
    }

    @Test
    void anAdministratorDeploysAModelThatAPredictingClientScoresWithThroughTheGateway() throws Exception {
        WebTestClient http = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        Path model = Path.of("../examples/models/mlp-20x64.onnx");
        assertThat(Files.isRegularFile(model)).isTrue();

        upload(http, model, GatewayTestSupport.PREDICT_KEY).expectStatus().isForbidden();
        upload(http, model, GatewayTestSupport.ADMIN_KEY)
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.version")
                .isEqualTo(1);
        http.put()
                .uri("/api/v1/models/gateway-mlp/aliases/champion")
                .header("X-API-Key", GatewayTestSupport.ADMIN_KEY)
                .header("X-Sextant-Actor", "mallory")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"version\": 1}")
                .exchange()
                .expectStatus()
                .is2xxSuccessful();
        // the registry records the authenticated client, not the actor the client claimed to be
        http.get()
                .uri("/api/v1/models/gateway-mlp/aliases/champion/history")
                .header("X-API-Key", GatewayTestSupport.PREDICT_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.history[0].changed_by")
                .isEqualTo("ops");
        http.get()
                .uri("/api/v1/models/gateway-mlp/aliases/champion")
                .header("X-API-Key", GatewayTestSupport.PREDICT_KEY)
                .exchange()
                .expectStatus()
                .isOk();

        String infer = "{\"id\": \"e2e-1\", \"inputs\": [{\"name\": \"features\", \"shape\": [1, 20], \"datatype\":"
                + " \"FP32\", \"data\": [" + "0.5,".repeat(19) + "0.5]}]}";
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> http.get()
                        .uri("/v2/models/gateway-mlp/ready")
                        .header("X-API-Key", GatewayTestSupport.PREDICT_KEY)
                        .exchange()
                        .expectStatus()
                        .isOk());
        String traceparent = http.post()
                .uri("/v2/models/gateway-mlp/infer")
                .header("X-API-Key", GatewayTestSupport.PREDICT_KEY)
                .header("X-Request-Id", "e2e-request")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(infer)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("X-Request-Id", "e2e-request")
                .expectBody()
                .jsonPath("$.model_name")
                .isEqualTo("gateway-mlp")
                .jsonPath("$.id")
                .isEqualTo("e2e-1")
                .jsonPath("$.outputs[0].data.length()")
                .isEqualTo(1)
                .returnResult()
                .getResponseHeaders()
                .getFirst("traceparent");
        assertThat(traceparent).as("the gateway started a trace").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(loggedTraceparent("e2e-1"))
                .as("the prediction service logged the prediction under the gateway's trace")
                .isEqualTo(traceparent);
        // a client mistake is the prediction service's own 400, passed on unchanged
        http.post()
                .uri("/v2/models/gateway-mlp/infer")
                .header("X-API-Key", GatewayTestSupport.PREDICT_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                        "{\"inputs\": [{\"name\": \"nope\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .value(error -> assertThat((String) error).contains("unknown input 'nope'"));
    }

    @Test
    void servesTheRegistrysOpenApiDocumentWithTheGatewayAsItsServer() {
        WebTestClient http = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
                .build();
        http.get()
                .uri("/openapi/model-registry")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.openapi")
                .exists()
                .jsonPath("$.paths['/api/v1/models/{name}/versions']")
                .exists()
                .jsonPath("$.servers.length()")
                .isEqualTo(1)
                .jsonPath("$.servers[0].url")
                .isEqualTo("/")
                .jsonPath("$.components.securitySchemes.apiKey.in")
                .isEqualTo("header");
        http.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
    }

    /**
     * The trust boundary as the services' packaged jars draw it with no configuration, as {@code ./sextant} runs
     * them: the gateway answers on every interface, the services behind it only on loopback, so from another host
     * only the gateway can be reached.
     */
    @Test
    void onlyTheGatewayIsReachableFromANonLoopbackAddress() throws Exception {
        InetAddress external = nonLoopbackAddress();
        assumeTrue(external != null, "this machine has no non-loopback IPv4 address");
        assertThat(connects(external, port)).as("the gateway on %s", external).isTrue();
        for (ServiceJar service : List.of(REGISTRY, PREDICTION)) {
            int servicePort = URI.create(service.url()).getPort();
            assertThat(connects(InetAddress.getLoopbackAddress(), servicePort))
                    .as("%s on loopback", service.url())
                    .isTrue();
            assertThat(connects(external, servicePort))
                    .as("%s on %s", service.url(), external)
                    .isFalse();
        }
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!network.isUp() || network.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(network.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return address;
                }
            }
        }
        return null;
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The traceparent header of the prediction log of this request id on prediction-logs.v1. */
    private static String loggedTraceparent(String requestId) {
        ConsumerRecord<String, String> log = KafkaBroker.shared()
                .awaitRecord(
                        "prediction-logs.v1",
                        record -> record.value().contains("\"request_id\":\"" + requestId + "\"")
                                && record.headers().lastHeader("traceparent") != null,
                        Duration.ofSeconds(30));
        return new String(log.headers().lastHeader("traceparent").value(), StandardCharsets.US_ASCII);
    }

    private static WebTestClient.ResponseSpec upload(WebTestClient http, Path model, String key) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("file", new FileSystemResource(model));
        return http.post()
                .uri("/api/v1/models/gateway-mlp/versions")
                .header("X-API-Key", key)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange();
    }

    /**
     * Starts a service once {@code started} runs; if it cannot start, stops {@code started} too, so that no service's
     * process outlives the class (its {@code @AfterAll} never runs when the class cannot be initialised).
     */
    private static ServiceJar startBeside(ServiceJar started, String service, String... arguments) {
        try {
            return start(service, arguments);
        } catch (IllegalStateException e) {
            try {
                started.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    private static ServiceJar start(String service, String... arguments) {
        Path jar = Path.of("../" + service + "/target/" + service + ".jar").normalize();
        try {
            return ServiceJar.start(jar, arguments);
        } catch (Exception e) {
            throw new IllegalStateException("could not start " + service, e);
        }
    }
}
