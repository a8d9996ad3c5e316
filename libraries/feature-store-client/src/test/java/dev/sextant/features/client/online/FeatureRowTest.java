package dev.sextant.features.client.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.features.client.definition.Entity;
import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.ValueType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureRowTest {

    private static final FeatureView VIEW = new FeatureView(
            "stats",
            null,
            List.of(new Entity("merchant", null, List.of(new JoinKey("merchant_id", ValueType.INT64)))),
            List.of(new Feature("count", ValueType.INT64), new Feature("mean", ValueType.FLOAT64)),
            Duration.ofHours(1),
            FeatureView.Source.PUSH);
    private static final Instant AT = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void aCheckedRowHoldsTypedValuesInTheViewsOrderWithAbsentFeaturesNull() {
        FeatureRow row = FeatureRow.checked(VIEW, 0, Map.of("merchant_id", 7), AT, Map.of("count", 3));

        assertThat(row.keyValues()).containsExactly(7L);
        assertThat(row.value(0)).isEqualTo(3L);
        assertThat(row.value(1)).isNull();
        assertThat(row.eventTime()).isEqualTo(AT);
        assertThat(FeatureRow.checked(VIEW, 0, Map.of("merchant_id", 7L), AT, Map.of("mean", 2))
                        .value(1))
                .isEqualTo(2.0);
    }

    @Test
    void aCheckedRowNamesTheRowAndFieldOfTheFirstProblem() {
        assertThatThrownBy(() -> FeatureRow.checked(VIEW, 4, Map.of(), AT, Map.of()))
                .isInstanceOf(InvalidFeatureRequestException.class)
                .hasMessage("rows[4] lacks join key 'merchant_id'");
        assertThatThrownBy(() -> FeatureRow.checked(VIEW, 1, Map.of("merchant_id", "m"), AT, Map.of()))
                .hasMessage("rows[1].merchant_id must be INT64, got 'm'");
        assertThatThrownBy(() -> FeatureRow.checked(VIEW, 2, Map.of("merchant_id", 1), null, Map.of()))
                .hasMessage("rows[2].event_timestamp is required");
        assertThatThrownBy(() -> FeatureRow.checked(VIEW, 3, Map.of("merchant_id", 1), AT, Map.of("median", 1.0)))
                .hasMessage("rows[3].median: feature view 'stats' has no such feature");
        assertThatThrownBy(() -> FeatureRow.checked(VIEW, 0, Map.of("merchant_id", 1), AT, Map.of("mean", Double.NaN)))
                .hasMessage("rows[0].mean must be FLOAT64, got 'NaN'");
    }

    @Test
    void rowsAreWrittenOnlyToTheirOwnView() {
        FeatureView other = new FeatureView(
                "other", null, VIEW.entities(), VIEW.features(), Duration.ofHours(1), FeatureView.Source.PUSH);
        FeatureRow row = FeatureRow.checked(VIEW, 0, Map.of("merchant_id", 1), AT, Map.of());
        OnlineFeatureWriter writer = new OnlineFeatureWriter(null, Duration.ofSeconds(1), Duration.ZERO);

        assertThatThrownBy(() -> writer.write(other, List.of(row)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a row of view stats cannot be written to view other");
        assertThatThrownBy(() -> FeatureRow.of(VIEW, List.of(1L), 0, new Object[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
