package dev.sextant.features.client.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeatureRepositoryLoaderTest {

    private static final String ENTITIES =
            """
            entities:
              - name: card
                join_keys: [{name: card_id, type: STRING}]
            """;

    @Test
    void theBundledRepositoryIsEveryDomainJarsFileOnTheClasspath(@TempDir Path folder) throws IOException {
        List<URL> roots = new ArrayList<>();
        for (String file : List.of("entities.yaml", "views.yaml")) {
            Path root = folder.resolve(file.replace(".yaml", ""));
            Path shipped = root.resolve(FeatureRepositoryLoader.CLASSPATH_LOCATION);
            Files.createDirectories(shipped.getParent());
            Files.copy(Path.of("src/test/resources/feature-repo", file), shipped);
            roots.add(root.toUri().toURL());
        }
        try (URLClassLoader classpath = new URLClassLoader(roots.toArray(URL[]::new), null)) {
            FeatureRepository bundled = FeatureRepositoryLoader.bundled(classpath);

            assertThat(bundled.entities()).extracting(Entity::name).containsExactly("card", "merchant");
            assertThat(bundled.onDemandView("card_ratio")).isPresent();
        }
        try (URLClassLoader none = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> FeatureRepositoryLoader.bundled(none))
                    .isInstanceOf(InvalidDefinitionException.class)
                    .hasMessageContaining("none is on the classpath")
                    .hasMessageContaining(FeatureRepositoryLoader.CLASSPATH_LOCATION);
        }
    }

    @Test
    void loadsEntitiesAndViewsAcrossFiles() {
        FeatureRepository repository = FeatureRepositoryLoader.load(Path.of("src/test/resources/feature-repo"));

        assertThat(repository.entities()).extracting(Entity::name).containsExactly("card", "merchant");
        FeatureView pair = repository.view("card_merchant").orElseThrow();
        assertThat(pair.joinKeys()).extracting(JoinKey::name).containsExactly("card_id", "merchant_id");
        assertThat(pair.ttl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(pair.source()).isEqualTo(FeatureView.Source.PUSH);
        assertThat(repository.view("merchant_risk").orElseThrow().hasTtl()).isFalse();
        assertThat(repository.feature(FeatureRef.parse("card_stats:is_premium")))
                .hasValue(new Feature("is_premium", ValueType.BOOL));
        FeatureView streamed = repository.view("card_txn").orElseThrow();
        assertThat(streamed.stream()).isEqualTo(new StreamSource("transactions.v1", "event_time", "card_id"));
        assertThat(streamed.features())
                .extracting(Feature::aggregation)
                .containsExactly(
                        new Aggregation(Aggregation.Function.COUNT, null, Duration.ofMinutes(10)),
                        new Aggregation(Aggregation.Function.MAX, "amount", Duration.ofHours(1)));
        OnDemandView ratio = repository.onDemandView("card_ratio").orElseThrow();
        assertThat(ratio.inputs()).containsExactly(FeatureRef.parse("card_stats:amount_mean_1h"));
        assertThat(ratio.request()).containsExactly(new OnDemandView.RequestField("amount", ValueType.FLOAT64));
        assertThat(repository.feature(FeatureRef.parse("card_ratio:ratio")))
                .hasValue(new Feature("ratio", ValueType.FLOAT64));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "inputs: [card_stats:nope] | on_demand_views[0].inputs[0]: no stored feature 'card_stats:nope'",
                "inputs: [card_stats] | on_demand_views[0].inputs[0]: feature reference 'card_stats' is not 'view:feature'",
                "transformation: com.example.Missing | on_demand_views[0].transformation: no class com.example.Missing",
                "transformation: java.lang.String | on_demand_views[0].transformation: class java.lang.String does not"
                        + " implement dev.sextant.features.client.ondemand.OnDemandTransformation",
                "name: card_stats | on_demand_views[0].name: view 'card_stats' is declared twice",
                "request: [{name: amount, type: FLOAT64}, {name: amount, type: INT64}] | on_demand_views[0].request[1].name:"
                        + " request field 'amount' is listed twice",
            })
    void anOnDemandViewErrorNamesTheFileAndTheField(String override, String message) {
        Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of(
                "name", "v",
                "request", "[{name: amount, type: FLOAT64}]",
                "inputs", "[card_stats:amount_mean_1h]",
                "transformation", "dev.sextant.features.client.ondemand.RatioToMean",
                "features", "[{name: ratio, type: FLOAT64}]"));
        String[] parts = override.split(": ", 2);
        fields.put(parts[0], parts[1]);
        StringBuilder yaml = new StringBuilder("on_demand_views:\n  - ");
        fields.forEach(
                (name, value) -> yaml.append(name).append(": ").append(value).append("\n    "));
        assertThatThrownBy(() -> FeatureRepositoryLoader.load(List.of(
                        new DefinitionFile("entities.yaml", ENTITIES),
                        new DefinitionFile(
                                "views.yaml",
                                "feature_views: [{name: card_stats, entities: [card], ttl: 1h, source: push,"
                                        + " features: [{name: amount_mean_1h, type: FLOAT64}]}]"),
                        new DefinitionFile("derived.yaml", yaml.toString()))))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageStartingWith("derived.yaml: " + message);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "feature_views: [{name: v, entities: [card], ttl: 2 hours, source: batch, features: [{name: f, type: INT64}]}]"
                        + " | views.yaml: feature_views[0].ttl: '2 hours' is not a duration",
                "feature_views: [{name: v, entities: [shop], ttl: 1h, source: batch, features: [{name: f, type: INT64}]}]"
                        + " | views.yaml: feature_views[0].entities[0]: unknown entity 'shop'",
                "feature_views: [{name: v, entities: [card], ttl: 1h, source: batch, features: [{name: f, type: DECIMAL}]}]"
                        + " | views.yaml: feature_views[0].features[0].type: unknown type 'DECIMAL'",
                "feature_views: [{name: v, entities: [card], ttl: 1h, source: kafka, features: [{name: f, type: INT64}]}]"
                        + " | views.yaml: feature_views[0].source: unknown source 'kafka'",
                "feature_views: [{name: V, entities: [card], ttl: 1h, source: batch, features: [{name: f, type: INT64}]}]"
                        + " | views.yaml: feature_views[0].name: 'V' must be 1-63 lowercase letters",
                "feature_views: [{name: v, entities: [card], ttl: 1h, source: batch, features: []}]"
                        + " | views.yaml: feature_views[0].features: must list at least one entry",
                "feature_views: [{name: v, entities: [card], ttl: 1h, source: batch, features: [{name: f, type: INT64},"
                        + " {name: f, type: BOOL}]} ] | views.yaml: feature_views[0].features[1].name: feature 'f' is listed twice",
                "feature_views: [{name: v, entities: [card], tll: 1h, source: batch, features: [{name: f, type: INT64}]}]"
                        + " | views.yaml: feature_views[0].tll: unknown field",
                "feature_views: [{name: v, entities: [card], ttl: 1h, source: stream, features: [{name: f, type: INT64,"
                        + " aggregation: {function: count, window: 10m}}]}]"
                        + " | views.yaml: feature_views[0].stream: is required for a view whose source is stream",
                "feature_views: [{name: v, entities: [card], ttl: 1h, source: stream, stream: {topic: t}, features:"
                        + " [{name: f, type: INT64}]}] | views.yaml: feature_views[0].features[0].aggregation: is required",
                "feature_views: [{name: v, entities: [card], ttl: 1h, source: stream, stream: {topic: t}, features:"
                        + " [{name: f, type: FLOAT64, aggregation: {function: count, window: 10m}}]}]"
                        + " | views.yaml: feature_views[0].features[0].type: a COUNT aggregation is INT64, not FLOAT64",
                "feature_views: [{name: v, entities: [card], ttl: 1h, source: stream, stream: {topic: t}, features:"
                        + " [{name: f, type: FLOAT64, aggregation: {function: sum, field: amount, window: 90s}}]}]"
                        + " | views.yaml: feature_views[0].features[0].aggregation.window: a window is whole minutes",
                "feature_views: [{name: v, entities: [card], ttl: 1h, source: stream, stream: {topic: t}, features:"
                        + " [{name: f, type: FLOAT64, aggregation: {function: mean, window: 1h}}]}]"
                        + " | views.yaml: feature_views[0].features[0].aggregation.field: is required",
                "feature_views: [{name: v, entities: [card], ttl: 1h, source: batch, features:"
                        + " [{name: f, type: INT64, aggregation: {function: count, window: 1h}}]}]"
                        + " | views.yaml: feature_views[0].features[0].aggregation: only features of a view whose source"
                        + " is stream",
                "'feature_views: [ {name: v' | views.yaml: not valid YAML"
            })
    void aDefinitionErrorNamesTheFileAndTheField(String views, String message) {
        assertThatThrownBy(() -> FeatureRepositoryLoader.load(List.of(
                        new DefinitionFile("entities.yaml", ENTITIES), new DefinitionFile("views.yaml", views))))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void namesMustBeUniqueAcrossFiles() {
        assertThatThrownBy(() -> FeatureRepositoryLoader.load(
                        List.of(new DefinitionFile("a.yaml", ENTITIES), new DefinitionFile("b.yaml", ENTITIES))))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessage("b.yaml: entities[0].name: entity 'card' is declared twice");
    }
}
