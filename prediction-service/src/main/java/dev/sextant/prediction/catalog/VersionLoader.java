package dev.sextant.prediction.catalog;

import dev.sextant.prediction.PredictionProperties;
import dev.sextant.prediction.batching.DynamicBatcher;
import dev.sextant.prediction.runtime.ModelRunException;
import dev.sextant.prediction.runtime.ModelRunner;
import dev.sextant.prediction.runtime.OnnxModelRunner;
import dev.sextant.registry.client.ModelVersion;
import dev.sextant.registry.client.RegistryClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Loads one model version for the catalog: downloads its artifact from the registry, checks its sha256 against the
 * registry's, opens it in ONNX Runtime (which runs it once on zeros) and puts it behind a {@link DynamicBatcher}
 * when batching is on for the model. A verified artifact that ONNX Runtime refuses is remembered and never
 * downloaded again: registry versions never change.
 */
@Component
class VersionLoader {

    private static final Logger log = LoggerFactory.getLogger(VersionLoader.class);

    private final RegistryClient registry;
    private final PredictionProperties.Runtime runtime;
    private final PredictionProperties.Batching batching;
    private final MeterRegistry meters;
    /** {@code name@version} of versions whose verified artifact ONNX Runtime refused. */
    private final Set<String> unservable = ConcurrentHashMap.newKeySet();

    VersionLoader(
            RegistryClient registry,
            PredictionProperties.Runtime runtime,
            PredictionProperties.Batching batching,
            MeterRegistry meters) {
        this.registry = registry;
        this.runtime = runtime;
        this.batching = batching;
        this.meters = meters;
    }

    /** Whether this version failed in ONNX Runtime before: loading it again would fail the same way. */
    boolean unservable(String name, int version) {
        return unservable.contains(name + "@" + version);
    }

    LoadedModel load(String name, int version) throws ModelRunException {
        ModelVersion described = registry.version(name, version)
                .orElseThrow(() -> new ModelRunException("the registry holds no version " + version, null));
        byte[] artifact = registry.artifact(name, version);
        String sha256 = sha256(artifact);
        if (!sha256.equals(described.sha256())) {
            throw new ModelRunException(
                    "the downloaded artifact's sha256 is " + sha256 + ", the registry says " + described.sha256(),
                    null);
        }
        OnnxModelRunner runner;
        try {
            runner = OnnxModelRunner.load(
                    artifact,
                    runtime.intraOpThreads(),
                    runtime.interOpThreads(),
                    runtime.executionProvider(),
                    runtime.cudaDevice());
        } catch (ModelRunException e) {
            unservable.add(name + "@" + version);
            throw e;
        }
        LoadedModel model =
                new LoadedModel(name, version, sha256, batched(name, version, runner), described.features());
        meters.counter("sextant.prediction.model.loads", "model", name, "outcome", "loaded")
                .increment();
        log.info("loaded {} ({} bytes, sha256 {}) on {}", model, artifact.length, sha256, runner.executionProvider());
        return model;
    }

    /** The runner behind a {@link DynamicBatcher} when batching is enabled for the model and it can batch. */
    private ModelRunner batched(String name, int version, ModelRunner runner) {
        PredictionProperties.BatchSettings settings = batching.forModel(name);
        if (!settings.enabled()) {
            return runner;
        }
        if (!DynamicBatcher.supports(runner.signature())) {
            log.warn(
                    "batching is enabled for {} but version {} has an input or output without a variable first"
                            + " dimension; its requests run one by one",
                    name,
                    version);
            return runner;
        }
        log.info(
                "{} v{} batches up to {} rows, waiting at most {} for them",
                name,
                version,
                settings.maxBatchSize(),
                settings.maxQueueDelay());
        return new DynamicBatcher(
                runner, settings, name + " v" + version, meters, "model", name, "version", String.valueOf(version));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
