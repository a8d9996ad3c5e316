package dev.sextant.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Predictions joined with their labels by id, in either order, with what they were tagged with. */
class LabelJoinTest {

    static final Instant T = Instant.parse("2026-12-07T00:00:00Z");

    @Test
    void joinsALabelWithItsPredictionInEitherOrderCarryingThePredictionsTag() {
        LabelJoin<String> join = new LabelJoin<>(10, 10);

        assertThat(join.predicted("a", "v2", 0.9, T)).isNull();
        LabelJoin.Joined<String> a = join.labelled("a", true, T.plusSeconds(60));
        assertThat(a.tag()).isEqualTo("v2");
        assertThat(a.labelled().score()).isEqualTo(0.9f);
        assertThat(a.labelled().label()).isTrue();
        assertThat(a.labelled().delay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(join.labelled("a", true, T.plusSeconds(61)))
                .as("joined once")
                .isNull();

        assertThat(join.labelled("b", false, T.plusSeconds(90)))
                .as("not kept unless asked")
                .isNull();
        assertThat(join.predicted("b", "v1", 0.2, T)).isNull();
        assertThat(join.await("c", false, T.plusSeconds(90))).isTrue();
        assertThat(join.await("c", true, T.plusSeconds(95)))
                .as("replaces the waiting label")
                .isFalse();
        LabelJoin.Joined<String> c = join.predicted("c", "v1", 0.4, T.plusSeconds(30));
        assertThat(c.tag()).isEqualTo("v1");
        assertThat(c.labelled().label()).isTrue();
        assertThat(c.labelled().delay()).isEqualTo(Duration.ofSeconds(65));
    }

    @Test
    void forgetsTheOldestPredictionWhenFull() {
        LabelJoin<String> join = new LabelJoin<>(2, 1);
        join.predicted("a", "v1", 0.1, T);
        join.predicted("b", "v1", 0.2, T);
        join.predicted("c", "v1", 0.3, T);

        assertThat(join.labelled("a", true, T)).isNull();
        assertThat(join.labelled("b", true, T)).isNotNull();
        assertThat(join.labelled("c", true, T)).isNotNull();
    }
}
