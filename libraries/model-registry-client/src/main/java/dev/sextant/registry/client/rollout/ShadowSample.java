package dev.sextant.registry.client.rollout;

/**
 * Which requests a rollout's shadow scores: those whose key has {@code u = SHA-256(salt ␀ shadow ␀ key)}, read as
 * {@link Assignment} reads its digest, below the shadow's share. Like the assignment it is a pure function of the
 * key, the salt and the share, so every replica samples alike and an entity is either always shadowed or never at
 * one share; raising the share only adds keys. The label {@code shadow} is no version number, so the sample is
 * independent of which arm the key is assigned to: each arm's requests are shadowed in the same proportion.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ShadowSample {

    private final byte[] prefix;
    private final double share;

    private ShadowSample(byte[] prefix, double share) {
        this.prefix = prefix;
        this.share = share;
    }

    /**
     * @param salt the rollout's salt
     * @param share of keys to score, in [0, 1]
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static ShadowSample of(String salt, double share) {
        if (salt == null || salt.isBlank()) {
            throw new IllegalArgumentException("salt must not be blank");
        }
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be between 0 and 1, got " + share);
        }
        return new ShadowSample(Assignment.prefix(salt, "shadow"), share);
    }

    /** Whether the shadow scores the request with this key. */
    public boolean scores(String key) {
        if (share >= 1) {
            return true;
        }
        return share > 0 && Assignment.unit(prefix, key) < share;
    }

    public double share() {
        return share;
    }
}
