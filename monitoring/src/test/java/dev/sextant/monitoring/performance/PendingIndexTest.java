package dev.sextant.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PendingIndexTest {

    @Test
    void forgetsTheOldestWhenFullAndGivesBackWhatItHolds() {
        PendingIndex index = new PendingIndex(3);
        for (int i = 0; i < 4; i++) {
            assertThat(index.put(PendingIndex.key("r-" + i), 1000 + i, i / 10f, i))
                    .isFalse();
        }
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.take(PendingIndex.key("r-0"))).as("forgotten").isEqualTo(-1);
        int slot = index.take(PendingIndex.key("r-2"));
        assertThat(index.time(slot)).isEqualTo(1002);
        assertThat(index.value(slot)).isEqualTo(0.2f);
        assertThat(index.tag(slot)).isEqualTo(2);
        assertThat(index.take(PendingIndex.key("r-2"))).as("taken once").isEqualTo(-1);
    }

    @Test
    void anIdPutAgainReplacesItsEntryAndTheRingStillForgetsInOrder() {
        PendingIndex index = new PendingIndex(2);
        index.put(PendingIndex.key("a"), 1, 0, 0);
        assertThat(index.put(PendingIndex.key("a"), 2, 1, 0)).isTrue();
        assertThat(index.size()).isEqualTo(1);
        index.put(PendingIndex.key("b"), 3, 0, 0); // overwrites the first slot, which no longer holds "a"
        assertThat(index.time(index.take(PendingIndex.key("a")))).isEqualTo(2);
        assertThat(index.take(PendingIndex.key("b"))).isNotNegative();
    }
}
