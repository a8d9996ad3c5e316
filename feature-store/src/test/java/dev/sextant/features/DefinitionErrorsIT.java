package dev.sextant.features;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.features.client.definition.InvalidDefinitionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;

/** A feature repository with an error stops the service at startup, naming the file and the field. */
class DefinitionErrorsIT {

    @TempDir
    Path repository;

    @Test
    void theServiceRefusesToStartOnADefinitionErrorAndSaysWhere() throws IOException {
        Files.writeString(
                repository.resolve("cards.yaml"),
                """
                entities:
                  - name: card
                    join_keys: [{name: card_id, type: STRING}]
                feature_views:
                  - name: card_stats
                    entities: [card]
                    ttl: 1h
                    source: stream
                    features:
                      - {name: txn_count, type: INTEGER}
                """);

        assertThatThrownBy(() -> SpringApplication.run(
                        FeatureStoreApplication.class,
                        "--server.port=0",
                        "--sextant.features.repository=" + repository))
                .rootCause()
                .isInstanceOf(InvalidDefinitionException.class)
                .asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                .hasMessage("cards.yaml: feature_views[0].features[0].type: unknown type 'INTEGER'; use one of"
                        + " [INT64, FLOAT64, BOOL, STRING]");
    }
}
