package dev.sextant.monitoring.performance;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.nio.charset.StandardCharsets;
import org.apache.datasketches.hash.MurmurHash3;

/**
 * What waits to be joined (predictions for their labels, or labels for their predictions), bounded: a ring of
 * {@code capacity} entries in flat arrays, indexed by a 64-bit hash of the id; when the ring is full the oldest entry
 * is forgotten. An entry is a time (epoch milliseconds), a value and a tag, about 40 bytes where a map of objects
 * takes about 200, so a million pending predictions fit in a small heap. Two ids whose 64-bit MurmurHash3 values
 * collide would be confused: about one chance in 10^7 among a million pending ids. Not thread-safe; used under its
 * owner's lock.
 */
final class PendingIndex {

    private static final long SEED = 9001;

    private final long[] keys;
    private final long[] times;
    private final float[] values;
    private final int[] tags;
    private final boolean[] used;
    private final Long2IntOpenHashMap slots;
    private int next;

    PendingIndex(int capacity) {
        keys = new long[capacity];
        times = new long[capacity];
        values = new float[capacity];
        tags = new int[capacity];
        used = new boolean[capacity];
        slots = new Long2IntOpenHashMap(Math.min(capacity, 1 << 16));
        slots.defaultReturnValue(-1);
    }

    static long key(String id) {
        return MurmurHash3.hash(id.getBytes(StandardCharsets.UTF_8), SEED)[0];
    }

    /** Adds an entry (replacing one with the same id), forgetting the oldest when full; true when it replaced one. */
    boolean put(long key, long time, float value, int tag) {
        int slot = next;
        next = (next + 1) % keys.length;
        if (used[slot]) {
            slots.remove(keys[slot], slot);
        }
        int replaced = slots.put(key, slot);
        if (replaced >= 0) {
            used[replaced] = false;
        }
        keys[slot] = key;
        times[slot] = time;
        values[slot] = value;
        tags[slot] = tag;
        used[slot] = true;
        return replaced >= 0;
    }

    /** Removes the entry of an id; its slot (to read with the accessors before the next put), or -1 when absent. */
    int take(long key) {
        int slot = slots.remove(key);
        if (slot >= 0) {
            used[slot] = false;
        }
        return slot;
    }

    long time(int slot) {
        return times[slot];
    }

    float value(int slot) {
        return values[slot];
    }

    int tag(int slot) {
        return tags[slot];
    }

    int size() {
        return slots.size();
    }
}
