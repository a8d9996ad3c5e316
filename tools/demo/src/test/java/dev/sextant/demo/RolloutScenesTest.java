package dev.sextant.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rollout's history as the registry answers it, read into the changes the demo prints. */
class RolloutScenesTest {

    @Test
    void readsEachChangeOldestFirstWithItsSharesReasonAndAuthor() {
        String rollout = "{\"id\":3,\"model\":\"fraud-detector\",\"strategy\":\"canary\",\"state\":\"promoted\","
                + "\"revision\":3,\"arms\":[{\"version\":5,\"role\":\"champion\",\"weight\":100.0}],\"history\":["
                + "{\"revision\":3,\"action\":\"advance\",\"state\":\"promoted\",\"arms\":[{\"version\":5,\"role\":"
                + "\"champion\",\"weight\":100.0}],\"step\":1,\"reason\":\"step 1 has its evidence (\\\"300\\\")\","
                + "\"evidence\":{\"champion\":{\"version\":4,\"role\":\"champion\",\"requests\":10},\"guards\":{}},"
                + "\"changed_at\":\"2026-12-07T10:03:00.120Z\",\"changed_by\":\"monitoring\"},"
                + "{\"revision\":2,\"action\":\"advance\",\"state\":\"running\",\"arms\":[{\"version\":4,\"role\":"
                + "\"champion\",\"weight\":50.0},{\"version\":5,\"role\":\"challenger\",\"weight\":50.0}],\"step\":1,"
                + "\"reason\":\"step 0 has its evidence\",\"changed_at\":\"2026-12-07T10:02:00Z\",\"changed_by\":"
                + "\"monitoring\"},"
                + "{\"revision\":1,\"action\":\"start\",\"state\":\"running\",\"arms\":[{\"version\":4,\"role\":"
                + "\"champion\",\"weight\":90.0},{\"version\":5,\"role\":\"challenger\",\"weight\":10.0}],"
                + "\"shadow\":{\"version\":6,\"share\":0.25},\"step\":0,"
                + "\"reason\":\"retrained after drift\",\"changed_at\":\"2026-12-07T10:01:00Z\",\"changed_by\":\"demo\"}]}";

        List<RolloutScenes.Change> changes = RolloutScenes.changes(rollout);

        assertThat(changes).extracting(RolloutScenes.Change::revision).containsExactly(1, 2, 3);
        assertThat(changes.get(0).shares()).isEqualTo("v4 90 %, v5 10 %, shadow v6 on 25 %");
        assertThat(changes.get(0).by()).isEqualTo("demo");
        assertThat(changes.get(1).action()).isEqualTo("advance");
        assertThat(changes.get(2).shares()).isEqualTo("v5 100 %");
        assertThat(changes.get(2).reason()).isEqualTo("step 1 has its evidence (\"300\")");
        assertThat(changes.get(2).at()).isEqualTo("2026-12-07T10:03:00.120Z");
        assertThat(changes.get(2).by()).isEqualTo("monitoring");
    }
}
