package dev.sextant.prediction.catalog;

import dev.sextant.prediction.runtime.ModelRunner;
import dev.sextant.registry.client.FeatureBinding;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model version in memory. Reference-counted: the catalog holds one reference while the version is served
 * and every request holds one while it runs; the runner (an ONNX Runtime session and its native memory) is
 * closed when the last reference is released, so a swapped-out version is freed as soon as its last in-flight
 * request ends, never under it.
 */
public final class LoadedModel {

    private final String name;
    private final int version;
    private final String sha256;
    private final ModelRunner runner;
    private final List<FeatureBinding> features;
    private final AtomicInteger references = new AtomicInteger(1);

    /** A loaded version holding one reference, its owner's (the catalog's, for versions {@link VersionLoader} loads). */
    public LoadedModel(String name, int version, String sha256, ModelRunner runner, List<FeatureBinding> features) {
        this.name = name;
        this.version = version;
        this.sha256 = sha256;
        this.runner = runner;
        this.features = List.copyOf(features);
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    public String sha256() {
        return sha256;
    }

    public ModelRunner runner() {
        return runner;
    }

    /** The version's feature binding from the registry, in input-column order; empty when it declares none. */
    public List<FeatureBinding> features() {
        return features;
    }

    /** Takes a reference for a request; false once the version has been closed (the caller looks again). */
    public boolean acquire() {
        while (true) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives back a reference taken by {@link #acquire} or the catalog's own; the last one closes the runner. */
    public void release() {
        if (references.decrementAndGet() == 0) {
            runner.close();
        }
    }

    /** Whether the runner has been closed (the version was swapped out and its last request ended). */
    public boolean closed() {
        return references.get() == 0;
    }

    @Override
    public String toString() {
        return name + " v" + version;
    }
}
