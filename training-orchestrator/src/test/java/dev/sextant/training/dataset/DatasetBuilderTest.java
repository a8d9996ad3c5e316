package dev.sextant.training.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import dev.sextant.training.TrainingProperties;
import dev.sextant.training.labels.LabelArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/** A dataset is held in memory: a range holding more labelled events than max-rows fails before it is read. */
class DatasetBuilderTest {

    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-02T00:00:00Z");

    @TempDir
    Path data;

    @Test
    void aRangeWithMoreLabelledEventsThanMaxRowsFailsNamingTheRangeAndTheLimit() throws Exception {
        TrainingProperties properties = properties();
        archive(properties.labels().archivePath(), 30);
        DatasetBuilder builder = new DatasetBuilder(
                new LabelArchive(properties.labels().archivePath()),
                new FeatureStoreClient(
                        RestClient.builder(),
                        properties.featureStoreUrl(),
                        JsonMapper.builder().build()),
                FeatureRepositoryLoader.bundled());
        List<String> log = new ArrayList<>();

        assertThatThrownBy(() -> builder.build(
                        List.of("request:amount"), null, FROM, TO, 10, 20, data.resolve("job-1"), log::add))
                .isInstanceOf(DatasetBuilder.DatasetException.class)
                .hasMessage("30 labelled events between " + FROM + " and " + TO + "; at most 20 fit one job"
                        + " (sextant.training.defaults.max-rows): narrow data_from and data_to");

        Dataset dataset =
                builder.build(List.of("request:amount"), null, FROM, TO, 10, 30, data.resolve("job-2"), log::add);
        assertThat(dataset.rows()).isEqualTo(30);
    }

    /** The orchestrator's own configuration, with its data under the test's directory. */
    private TrainingProperties properties() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        for (PropertySource<?> source :
                new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"))) {
            environment.getPropertySources().addLast(source);
        }
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource("test", Map.of("SEXTANT_DATA_DIR", data.toString())));
        return Binder.get(environment)
                .bind("sextant.training", TrainingProperties.class)
                .get();
    }

    /** Labels as the archiver writes them: one event an hour apart each, half of them positive. */
    private static void archive(Path directory, int labels) throws SQLException, IOException {
        Files.createDirectories(directory);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement()) {
            sql.execute("COPY (SELECT 'e-' || i AS event_id, i % 2 = 0 AS label, TIMESTAMP '2026-11-01 00:00:00' +"
                    + " to_minutes(i) AS event_time, TIMESTAMP '2026-11-01 12:00:00' AS label_time, '{\"card_id\":"
                    + " \"c' || i || '\"}' AS entities, '{\"amount\": ' || i || '}' AS request, 0 AS kafka_partition,"
                    + " i AS kafka_offset FROM range(" + labels + ") t(i)) TO '"
                    + directory.resolve("labels-p000-o0000000000000000000.parquet") + "' (FORMAT parquet)");
        }
    }
}
