package dev.sextant.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.catalog.ModelCatalog;
import dev.sextant.testsupport.OnnxModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Open Inference Protocol API serving models that a real model registry (its packaged jar) holds, through
 * real ONNX Runtime sessions. Registry changes are picked up by calling the catalog's reconciliation, which the
 * service otherwise runs on its schedule (set to an hour here, so only the tests trigger it). Batching is on for
 * every model, so each behaviour also holds through the dynamic batcher.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sextant.prediction.reconcile-interval=1h",
            // no Kafka here: the tests trigger reconciliation themselves (ModelEventsIT covers model events)
            "spring.kafka.listener.auto-startup=false",
            "sextant.prediction.logs.buffer-capacity=4",
            // every model here is served through the dynamic batcher (PredictApiIT serves them unbatched)
            "sextant.prediction.batching.defaults.enabled=true"
        })
@AutoConfigureRestTestClient
class InferenceApiIT {

    private static RegistryProcess registry;

    @Autowired
    RestTestClient http;

    @Autowired
    JsonMapper json;

    @Autowired
    ModelCatalog catalog;

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry properties) throws Exception {
        registry = RegistryProcess.start();
        properties.add("sextant.prediction.registry.url", registry::url);
        // nothing listens there: prediction logs cannot be delivered
        int noKafka = dev.sextant.localservers.Ports.free();
        properties.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + noKafka);
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        registry.close();
    }

    @Test
    void answersInferenceWithTheChampionAndEchoesTheRequestId() throws Exception {
        String model = "scorer-" + System.nanoTime();
        registry.setAlias(
                model, "champion", registry.register(model, OnnxModels.logisticRegression(new float[] {1f, 2f}, 0f)));
        catalog.reconcile();

        JsonNode answer = infer(
                "/v2/models/" + model + "/infer",
                """
                {"id": "req-1", "inputs": [{"name": "features", "datatype": "FP32", "shape": [2, 2],
                  "data": [[0, 0], [1, 1]]}]}""");

        assertThat(answer.get("model_name").asString()).isEqualTo(model);
        assertThat(answer.get("model_version").asString()).isEqualTo("1");
        assertThat(answer.get("id").asString()).isEqualTo("req-1");
        JsonNode output = answer.at("/outputs/0");
        assertThat(output.get("name").asString()).isEqualTo("probability");
        assertThat(output.get("datatype").asString()).isEqualTo("FP32");
        assertThat(output.get("shape").toString()).isEqualTo("[2,1]");
        assertThat(output.at("/data/0").floatValue()).isEqualTo(0.5f);
        assertThat(output.at("/data/1").floatValue()).isEqualTo((float) (1 / (1 + Math.exp(-3))));

        JsonNode metadata = get("/v2/models/" + model);
        assertThat(metadata.get("platform").asString()).isEqualTo("onnxruntime_onnx");
        assertThat(metadata.get("versions").toString()).isEqualTo("[\"1\"]");
        assertThat(metadata.at("/inputs/0").toString())
                .isEqualTo("{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[-1,2]}");
        assertThat(get("/v2/models/" + model + "/versions/1/ready").get("ready").asBoolean())
                .isTrue();
        assertThat(get("/v2/health/ready").get("ready").asBoolean()).isTrue();
        JsonNode readiness = get("/actuator/health/readiness");
        assertThat(readiness.at("/components/models/status").asString()).isEqualTo("UP");
        assertThat(readiness
                        .at("/components/models/details/models/" + model + "/aliases/champion")
                        .intValue())
                .isEqualTo(1);
        assertThat(get("/v2/health/live").get("live").asBoolean()).isTrue();
        assertThat(get("/v2").get("name").asString()).isEqualTo("sextant-prediction-service");
        JsonNode api = get("/v3/api-docs").get("paths");
        assertThat(api.propertyNames())
                .contains(
                        "/v2/health/live",
                        "/v2/health/ready",
                        "/v2",
                        "/v2/models/{model}",
                        "/v2/models/{model}/versions/{version}",
                        "/v2/models/{model}/ready",
                        "/v2/models/{model}/versions/{version}/ready",
                        "/v2/models/{model}/infer",
                        "/v2/models/{model}/versions/{version}/infer");
        assertThat(api.at("/~1v2~1models~1{model}~1infer/post/summary").asString())
                .contains("Run inference");

        String metrics = prometheus();
        assertThat(metrics)
                .as("infer requests are measured once, by sextant_prediction_requests")
                .doesNotContain("uri=\"/v2/models/{model}/infer\"")
                .contains("uri=\"/v2/models/{model}\"");
        assertThat(metrics)
                .containsPattern("sextant_prediction_requests_seconds_count\\{[^}]*model=\"" + model
                        + "\",outcome=\"ok\",version=\"1\"} 1")
                .containsPattern(
                        "sextant_prediction_inference_seconds_count\\{[^}]*model=\"" + model + "\",version=\"1\"} 1")
                .containsPattern("sextant_prediction_model_loaded\\{aliases=\"champion\",[^}]*model=\"" + model
                        + "\",provider=\"CPU\",version=\"1\"} 1")
                .containsPattern("sextant_prediction_batch_size_count\\{[^}]*model=\"" + model + "\",version=\"1\"} 1")
                .containsPattern(
                        "sextant_prediction_queue_seconds_count\\{[^}]*model=\"" + model + "\",version=\"1\"} 1");
    }

    @Test
    void predictionsDoNotWaitForAnAbsentKafkaAndLogsBeyondTheBufferAreDroppedAndCounted() throws Exception {
        String model = "unlogged-" + System.nanoTime();
        registry.setAlias(
                model, "champion", registry.register(model, OnnxModels.logisticRegression(new float[] {1f}, 0f)));
        catalog.reconcile();
        String request =
                "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1, 1], \"data\": [0]}]}";

        for (int i = 0; i < 20; i++) {
            JsonNode answer = infer("/v2/models/" + model + "/infer", request);
            assertThat(answer.get("id").asString()).as("a generated request id").hasSize(36);
        }

        assertThat(prometheus()).containsPattern("sextant_prediction_logs_dropped_total\\{[^}]*} (1[0-9]|20)\\.0");
    }

    @Test
    void everyServedDatatypeRoundTripsExactlyThroughTheApi() throws Exception {
        Map<DataType, String> cases = Map.ofEntries(
                Map.entry(DataType.BOOL, "BOOL:[true,false]"),
                Map.entry(DataType.UINT8, "UINT8:[0,255]"),
                Map.entry(DataType.UINT16, "UINT16:[0,65535]"),
                Map.entry(DataType.UINT32, "UINT32:[0,4294967295]"),
                Map.entry(DataType.UINT64, "UINT64:[9223372036854775808,18446744073709551615]"),
                Map.entry(DataType.INT8, "INT8:[-128,127]"),
                Map.entry(DataType.INT16, "INT16:[-32768,32767]"),
                Map.entry(DataType.INT32, "INT32:[-2147483648,2147483647]"),
                Map.entry(DataType.INT64, "INT64:[-9223372036854775808,9223372036854775807]"),
                Map.entry(DataType.FLOAT16, "FP16:[-2.5,65504.0]"),
                Map.entry(DataType.FLOAT, "FP32:[3.4028235E38,1.4E-45]"),
                Map.entry(DataType.DOUBLE, "FP64:[1.7976931348623157E308,4.9E-324]"),
                Map.entry(DataType.STRING, "BYTES:[\"\",\"ü€𝄞\"]"));
        for (Map.Entry<DataType, String> type : cases.entrySet()) {
            String model = "identity-" + type.getKey().name().toLowerCase() + "-" + System.nanoTime();
            registry.setAlias(model, "champion", registry.register(model, OnnxModels.identity(type.getKey(), -1)));
            catalog.reconcile();
            String datatype = type.getValue().substring(0, type.getValue().indexOf(':'));
            String data = type.getValue().substring(datatype.length() + 1);

            JsonNode output = infer(
                            "/v2/models/" + model + "/infer",
                            "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"" + datatype
                                    + "\", \"shape\": [2], \"data\": " + data + "}]}")
                    .at("/outputs/0");

            assertThat(output.get("datatype").asString()).as(datatype).isEqualTo(datatype);
            assertThat(output.get("data").toString()).as(datatype).isEqualTo(data);
            if (datatype.startsWith("UINT")) {
                expect(
                        400,
                        "/v2/models/" + model + "/infer",
                        "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"" + datatype
                                + "\", \"shape\": [2], \"data\": [0, -1]}]}",
                        "input 'input' element 1 is -1; expected an integer in [0, ");
            }
        }
    }

    @Test
    void movingTheChampionSwapsVersionsUnderLoadWithoutAFailedRequestAndFreesTheOldOne() throws Exception {
        String model = "swap-" + System.nanoTime();
        int v1 = registry.register(model, OnnxModels.logisticRegression(new float[] {1f}, 0f));
        int v2 = registry.register(model, OnnxModels.logisticRegression(new float[] {1f}, 100f));
        registry.setAlias(model, "champion", v1);
        catalog.reconcile();
        LoadedModel first = catalog.acquire(model, Optional.empty());
        first.release();
        String request =
                "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1, 1], \"data\": [0]}]}";

        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<List<String>>> answers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            answers.add(clients.submit(() -> {
                List<String> versions = new ArrayList<>();
                while (running.get()) {
                    versions.add(infer("/v2/models/" + model + "/infer", request)
                            .get("model_version")
                            .asString());
                }
                return versions;
            }));
        }
        Thread.sleep(300);
        registry.setAlias(model, "champion", v2);
        catalog.reconcile();
        Thread.sleep(300);
        running.set(false);
        List<String> versions = new ArrayList<>();
        for (Future<List<String>> answer : answers) {
            versions.addAll(answer.get()); // a failed request would have thrown here
        }
        clients.shutdown();

        assertThat(versions).contains("1", "2");
        assertThat(versions.subList(versions.size() - 1, versions.size())).containsOnly("2");
        assertThat(infer("/v2/models/" + model + "/infer", request)
                        .at("/outputs/0/data/0")
                        .floatValue())
                .isEqualTo(1f);
        assertThat(first.closed())
                .as("v1's session is closed once its last request ended")
                .isTrue();
        assertThat(catalog.models().get(model).versions().keySet()).containsExactly(v2);
    }

    @Test
    void aVersionThatCannotBeServedNeverReplacesTheWorkingOne() throws Exception {
        String model = "guarded-" + System.nanoTime();
        int good = registry.register(model, OnnxModels.logisticRegression(new float[] {1f}, 0f));
        registry.setAlias(model, "champion", good);
        catalog.reconcile();
        int unservable = registry.register(model, OnnxModels.identity(DataType.BFLOAT16, -1));
        registry.setAlias(model, "champion", unservable);

        catalog.reconcile();

        assertThat(catalog.models().get(model).aliases()).containsEntry("champion", good);
        assertThat(catalog.failures().get(model)).contains("v" + unservable + " not loaded", "BFLOAT16");
        assertThat(infer(
                                "/v2/models/" + model + "/infer",
                                "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1, 1], \"data\": [0]}]}")
                        .get("model_version")
                        .asString())
                .isEqualTo(String.valueOf(good));

        JsonNode ready = get("/v2/models/" + model + "/ready");
        assertThat(ready.get("ready").asBoolean()).isTrue();
        assertThat(ready.get("last_load_failure").asString()).contains("v" + unservable + " not loaded", "BFLOAT16");
        assertThat(get("/v2/models/" + model).get("execution_provider").asString())
                .isEqualTo("CPU");

        catalog.reconcile(); // a version ONNX Runtime refused is not downloaded and tried again
        assertThat(prometheus())
                .containsPattern("sextant_prediction_model_loads_total\\{[^}]*model=\"" + model
                        + "\",outcome=\"failed\"} 1\\.0");
    }

    @Test
    void clientMistakesAreRefusedWithA4xxThatNamesTheProblem() throws Exception {
        String model = "strict-" + System.nanoTime();
        registry.setAlias(
                model, "champion", registry.register(model, OnnxModels.logisticRegression(new float[] {1f, 1f}, 0f)));
        catalog.reconcile();
        String path = "/v2/models/" + model + "/infer";

        expect(
                400,
                path,
                "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [1, 2]}]}",
                "unknown input 'x'; the model's inputs: [features FP32[-1, 2]]");
        expect(
                400,
                path,
                "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"INT64\", \"shape\": [1, 2], \"data\": [1, 2]}]}",
                "input 'features' has datatype INT64; the model takes FP32");
        expect(
                400,
                path,
                "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1, 3], \"data\": [1, 2, 3]}]}",
                "input 'features' has shape [1, 3]; the model takes [-1, 2]");
        expect(
                400,
                path,
                "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [2, 2], \"data\": [1, 2, 3]}]}",
                "input 'features' has 3 element(s) in data; its shape [2, 2] holds 4");
        expect(
                400,
                path,
                "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [1, \"two\"]}]}",
                "input 'features' element 1 is \"two\"; expected a number");
        expect(400, path, "{\"inputs\": []}", "inputs must list the model's inputs");
        expect(
                400,
                path,
                "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [1, 2]}],"
                        + " \"outputs\": [{\"name\": \"nope\"}]}",
                "unknown output 'nope'");
        expect(400, path, "{\"inputs\": [", "the request body is not a valid infer request");
        expect(404, "/v2/models/absent/infer", "{\"inputs\": []}", "model 'absent' is not served here");
        expect(404, "/v2/models/" + model + "/versions/7/infer", "{\"inputs\": []}", "has no loaded version 7");
        expect(404, "/v2/models/" + model + "/versions/latest/infer", "{\"inputs\": []}", "has no version 'latest'");

        assertThat(prometheus())
                .containsPattern("sextant_prediction_requests_seconds_count\\{[^}]*model=\"" + model
                        + "\",outcome=\"bad_request\",version=\"1\"} 7")
                .containsPattern("sextant_prediction_requests_seconds_count\\{[^}]*model=\"" + model
                        + "\",outcome=\"not_found\",version=\"none\"} 2")
                .containsPattern(
                        "sextant_prediction_requests_seconds_count\\{[^}]*model=\"\\(not served\\)\",outcome=\"not_found\",version=\"none\"} [1-9]");
    }

    private void expect(int status, String path, String body, String message) {
        String error = http.post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(json.readTree(error).get("error").asString())
                .as(path + " " + body)
                .contains(message);
    }

    private JsonNode infer(String path, String body) {
        String answer = http.post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return json.readTree(answer);
    }

    private String prometheus() {
        return http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    private JsonNode get(String path) {
        return json.readTree(http.get()
                .uri(path)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
    }
}
