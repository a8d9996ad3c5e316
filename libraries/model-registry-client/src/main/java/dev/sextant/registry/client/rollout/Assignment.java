package dev.sextant.registry.client.rollout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which version of a rollout answers a request, as a pure function of the request's key (an entity key such as a
 * card id, or the request id), the rollout's salt and its arms' weights: every replica that holds the same rollout
 * assigns alike, with no shared state and no coordination.
 *
 * <p>Weighted rendezvous hashing: for each arm, {@code u = SHA-256(salt ␀ version ␀ key)} read as a number in
 * (0, 1), and the key goes to the arm with the smallest {@code -ln(u) / weight}. Each arm's {@code -ln(u) / weight}
 * is exponentially distributed with rate {@code weight}, so an arm wins with probability {@code weight / Σ weights}:
 * shares follow the weights. Raising one arm's weight lowers only that arm's value, so a key can only move
 * <em>to</em> that arm: a canary that grows never reassigns the keys it already holds, and the keys of the other arms
 * stay where they are. Lowering an arm's weight moves keys only away from it. An arm's {@code u} depends on the salt,
 * its version and the key alone, so adding an arm of weight 0 moves nothing. The digest is plain SHA-256 of UTF-8
 * text, so an assignment can be recomputed anywhere: {@code printf 'salt\0%s\0%s' 7 card-1 | sha256sum}, the first 8
 * bytes big-endian, the top 53 bits plus one half, over 2<sup>53</sup>.
 *
 * <p>Instances are immutable and thread-safe. {@code AssignmentTest} pins the shares, stickiness and the digest.
 */
public final class Assignment {

    private static final double TWO_TO_THE_53 = 0x1p53;

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(Assignment::sha256);

    /** One arm of a rollout: a model version and its weight (shares are weights over their sum). */
    public record Arm(int version, double weight) {}

    private final int[] versions;
    private final double[] weights;
    /** Per arm, the UTF-8 bytes of {@code salt ␀ version ␀}: the digest's prefix before the key. */
    private final byte[][] prefixes;

    private Assignment(int[] versions, double[] weights, byte[][] prefixes) {
        this.versions = versions;
        this.weights = weights;
        this.prefixes = prefixes;
    }

    /**
     * The assignment of a rollout.
     *
     * @param salt the rollout's own salt, so that two rollouts split the same keys independently
     * @param arms its versions and weights, each version once, weights finite and not negative, not all 0
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static Assignment of(String salt, List<Arm> arms) {
        if (salt == null || salt.isBlank()) {
            throw new IllegalArgumentException("salt must not be blank");
        }
        if (arms == null || arms.isEmpty()) {
            throw new IllegalArgumentException("arms must name at least one version");
        }
        int[] versions = new int[arms.size()];
        double[] weights = new double[arms.size()];
        byte[][] prefixes = new byte[arms.size()][];
        Set<Integer> seen = new HashSet<>();
        double total = 0;
        for (int i = 0; i < arms.size(); i++) {
            Arm arm = arms.get(i);
            if (arm == null) {
                throw new IllegalArgumentException("arms[" + i + "] must not be null");
            }
            if (!seen.add(arm.version())) {
                throw new IllegalArgumentException(
                        "arms[" + i + "].version: version " + arm.version() + " is already an arm");
            }
            if (!Double.isFinite(arm.weight()) || arm.weight() < 0) {
                throw new IllegalArgumentException(
                        "arms[" + i + "].weight must be a finite number of at least 0, got " + arm.weight());
            }
            versions[i] = arm.version();
            weights[i] = arm.weight();
            prefixes[i] = prefix(salt, String.valueOf(arm.version()));
            total += arm.weight();
        }
        if (total <= 0) {
            throw new IllegalArgumentException("arms: at least one weight must be above 0");
        }
        return new Assignment(versions, weights, prefixes);
    }

    /** The version that serves this key. */
    public int version(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        MessageDigest digest = SHA_256.get();
        int best = -1;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int i = 0; i < versions.length; i++) {
            if (weights[i] == 0) {
                continue;
            }
            double value = -Math.log(unit(digest, prefixes[i], bytes)) / weights[i];
            if (value < bestValue) {
                bestValue = value;
                best = i;
            }
        }
        return versions[best];
    }

    /** This arm's number for this key, in (0, 1): what {@link #version} compares. */
    static double unit(String salt, int version, String key) {
        return unit(prefix(salt, String.valueOf(version)), key);
    }

    /** The digest's prefix before the key: the UTF-8 bytes of {@code salt ␀ label ␀}. */
    static byte[] prefix(String salt, String label) {
        return (salt + '\0' + label + '\0').getBytes(StandardCharsets.UTF_8);
    }

    /** The number in (0, 1) of {@code SHA-256(prefix key)}. */
    static double unit(byte[] prefix, String key) {
        return unit(SHA_256.get(), prefix, key.getBytes(StandardCharsets.UTF_8));
    }

    private static double unit(MessageDigest digest, byte[] prefix, byte[] key) {
        digest.update(prefix);
        digest.update(key);
        long bits = ByteBuffer.wrap(digest.digest()).getLong() >>> 11;
        // half a step above each 53-bit value: never 0 (ln would be infinite), never 1
        return (bits + 0.5) / TWO_TO_THE_53;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
