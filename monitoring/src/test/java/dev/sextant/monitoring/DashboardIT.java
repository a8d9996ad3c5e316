package dev.sextant.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.localservers.Ports;
import dev.sextant.testsupport.Commands;
import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.PredictionLogs;
import dev.sextant.testsupport.RequiredTools;
import dev.sextant.testsupport.ServiceJar;
import dev.sextant.testsupport.WithKafka;
import java.awt.image.BufferedImage;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The web dashboard in headless Chromium (Debian's chromium driven by playwright-core, src/test/dashboard): the
 * service runs with the real registry (a jar) and nothing on the other services' ports; after two judged windows,
 * the page shows monitoring, the registry and Kafka up and the gateway down, the model version in the table and
 * its drift per feature over the windows, and a rollout's versions with their evidence. The screenshot is checked where it matters: each box is painted in the
 * colour of its status. It is kept as target/dashboard.png. Skipped without node, npm or chromium, except in CI
 * ({@code CI} set), where .ci/run installs chromium.
 */
@WithKafka
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class DashboardIT {

    static final String MODEL = "dashboard-watch";
    static final int WINDOW = 500;
    static final int PORT = Ports.free();
    static final Path DRIVER = Path.of("src/test/dashboard").toAbsolutePath();
    static final ServiceJar REGISTRY = PredictionLogs.registryWith(MODEL);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add(
                "spring.kafka.bootstrap-servers", () -> KafkaBroker.shared().bootstrapServers());
        registry.add("spring.kafka.consumer.group-id", () -> "monitoring-dashboard");
        registry.add("sextant.monitoring.logs-topic", () -> "prediction-logs-dashboard.v1");
        registry.add("sextant.monitoring.registry-url", REGISTRY::url);
        registry.add("sextant.monitoring.window.duration", () -> "1h");
        registry.add("sextant.monitoring.window.count", () -> WINDOW);
        registry.add("sextant.monitoring.window.min-samples", () -> 200);
        registry.add("sextant.monitoring.dashboard.probe-interval", () -> "1s");
        String nowhere = "http://127.0.0.1:" + Ports.free();
        registry.add("sextant.monitoring.dashboard.services.gateway", () -> nowhere);
        registry.add("sextant.monitoring.dashboard.services.prediction-service", () -> nowhere);
        registry.add("sextant.monitoring.dashboard.services.feature-store", () -> nowhere);
        registry.add("sextant.monitoring.dashboard.services.model-registry", REGISTRY::url);
        registry.add("sextant.monitoring.dashboard.services.training-orchestrator", () -> nowhere);
        registry.add("sextant.monitoring.dashboard.services.monitoring", () -> "http://127.0.0.1:" + PORT);
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        REGISTRY.close();
    }

    @Test
    void showsEveryBoxWithItsHealthTheModelVersionAndItsDriftOverTime() throws Exception {
        Path chromium = RequiredTools.require(
                        new RequiredTools.Tool(List.of("chromium", "chromium-browser"), "apt-get install chromium"),
                        new RequiredTools.Tool("node", "apt-get install nodejs"),
                        new RequiredTools.Tool("npm", "apt-get install npm"))
                .get(0);
        if (!Files.isDirectory(DRIVER.resolve("node_modules/playwright-core"))) {
            Commands.run(DRIVER, "npm", "ci", "--no-audit", "--no-fund");
        }

        try (KafkaProducer<String, String> producer = PredictionLogs.producer()) {
            PredictionLogs logs = new PredictionLogs(MODEL, 8);
            for (int i = 0; i <= 2 * WINDOW; i++) {
                producer.send(new ProducerRecord<>(
                        "prediction-logs-dashboard.v1", MODEL, logs.log("d-" + i, logs.row(i < WINDOW ? 1 : 3))));
            }
            for (int i = 0; i < 40; i++) {
                ProducerRecord<String, String> record = RolloutTraffic.record(
                        MODEL,
                        5,
                        RolloutTraffic.log(
                                MODEL, "r-" + i, 1 + i % 2, i % 2 == 0 ? "champion" : "challenger", 5, "c-" + i, 0.2));
                producer.send(new ProducerRecord<>(
                        "prediction-logs-dashboard.v1", null, MODEL, record.value(), record.headers()));
            }
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> PredictionLogs.JSON
                                .readTree(PredictionLogs.HTTP
                                        .send(
                                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT
                                                                + "/api/v1/monitoring/models/" + MODEL
                                                                + "/versions/1/drift"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .body())
                                .path("windows")
                                .size()
                        >= 2);

        Path screenshot = Path.of("target/dashboard.png").toAbsolutePath();
        JsonNode page = PredictionLogs.JSON.readTree(Commands.run(
                DRIVER,
                Map.of("CHROMIUM", chromium.toString()),
                "node",
                "screenshot.mjs",
                "http://127.0.0.1:" + PORT + "/dashboard",
                screenshot.toString()));
        assertThat(page.path("errors")).as("script errors in the page").isEmpty();
        Map<String, JsonNode> boxes = new java.util.HashMap<>();
        page.path("boxes").forEach(box -> boxes.put(box.get("service").asString(), box));
        assertThat(boxes)
                .containsKeys(
                        "client",
                        "gateway",
                        "prediction-service",
                        "feature-store",
                        "model-registry",
                        "kafka",
                        "monitoring",
                        "training-orchestrator");
        assertThat(boxes.get("monitoring").get("status").asString()).isEqualTo("UP");
        assertThat(boxes.get("model-registry").get("status").asString()).isEqualTo("UP");
        assertThat(boxes.get("kafka").get("status").asString()).isEqualTo("UP");
        assertThat(boxes.get("gateway").get("status").asString()).isEqualTo("DOWN");
        assertThat(boxes.get("monitoring").get("text").asString())
                .contains("req/s")
                .contains("p99");
        List<String> models = new ArrayList<>();
        page.path("models").forEach(model -> models.add(model.asString()));
        assertThat(models).contains(MODEL + "/1");
        List<String> rollouts = new ArrayList<>();
        page.path("rollouts").forEach(rollout -> rollouts.add(rollout.asString()));
        assertThat(rollouts).as("the rollout's versions").contains(MODEL + "/5/1", MODEL + "/5/2");
        assertThat(page.get("windows").intValue()).isGreaterThanOrEqualTo(2);
        assertThat(page.path("legend").toString()).contains("request:amount").contains("score");

        BufferedImage image = ImageIO.read(new File(screenshot.toString()));
        assertThat(image.getWidth()).isEqualTo(1280);
        assertPainted(image, boxes.get("monitoring"), 0x2e9d5b);
        assertPainted(image, boxes.get("model-registry"), 0x2e9d5b);
        assertPainted(image, boxes.get("gateway"), 0xd64545);
        assertPainted(image, boxes.get("training-orchestrator"), 0xd64545);
    }

    /**
     * The box's fill is the colour of its status: sampled inside its border and above its title, where no line of
     * its text reaches however long the figures in it are (a line as wide as the box reached its left middle).
     */
    static void assertPainted(BufferedImage image, JsonNode box, int rgb) {
        int x = (int) (box.get("x").doubleValue() + 8);
        int y = (int) (box.get("y").doubleValue() + 5);
        int pixel = image.getRGB(x, y) & 0xffffff;
        for (int shift : new int[] {16, 8, 0}) {
            assertThat(Math.abs(((pixel >> shift) & 0xff) - ((rgb >> shift) & 0xff)))
                    .as("%s at (%d, %d): #%06x, expected #%06x", box.get("service"), x, y, pixel, rgb)
                    .isLessThanOrEqualTo(12);
        }
    }
}
