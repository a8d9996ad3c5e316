package dev.sextant.benchmarks;

import dev.sextant.registry.client.rollout.Assignment;
import dev.sextant.registry.client.rollout.ShadowSample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A rollout's assignment of one request to a version (target ≤ 5 µs): what the prediction service does per request
 * while a rollout runs. {@code arms} is the number of versions with a weight (a canary: 2; an A/B/n test or a
 * bandit: more); each call takes the next of 65,536 distinct card ids, so the digest never sees the same key twice
 * in a row. {@code keyFloor} is the same loop without assigning: the floor the assignment is measured against.
 * {@code shadowSample} is whether a rollout's shadow scores the request (one digest, whatever the arms), which a
 * request of a rollout with a shadow pays besides its assignment.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AssignmentBenchmark {

    private static final int KEYS = 1 << 16;

    @Param({"2", "4"})
    public int arms;

    private Assignment assignment;
    private ShadowSample shadow;
    private String[] keys;
    private int next;

    @Setup
    public void setUp() {
        List<Assignment.Arm> weighted = new ArrayList<>();
        weighted.add(new Assignment.Arm(1, 90));
        for (int version = 2; version <= arms; version++) {
            weighted.add(new Assignment.Arm(version, 10.0 / (arms - 1)));
        }
        assignment = Assignment.of("fraud-detector-rollout-7f3a", weighted);
        shadow = ShadowSample.of("fraud-detector-rollout-7f3a", 0.5);
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "card-" + (1_000_000 + i * 7919L);
        }
    }

    @Benchmark
    public int assign() {
        next = (next + 1) & (KEYS - 1);
        return assignment.version(keys[next]);
    }

    @Benchmark
    public boolean shadowSample() {
        next = (next + 1) & (KEYS - 1);
        return shadow.scores(keys[next]);
    }

    @Benchmark
    public int keyFloor() {
        next = (next + 1) & (KEYS - 1);
        return keys[next].length();
    }
}
