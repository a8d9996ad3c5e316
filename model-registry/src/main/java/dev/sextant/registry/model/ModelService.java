package dev.sextant.registry.model;

import dev.sextant.registry.api.ApiException;
import dev.sextant.registry.artifact.ArtifactStore;
import dev.sextant.registry.artifact.ArtifactTooLargeException;
import dev.sextant.registry.artifact.StagedArtifact;
import dev.sextant.registry.events.ModelEvent;
import dev.sextant.registry.events.ModelEventOutbox;
import dev.sextant.registry.signature.InvalidModelException;
import dev.sextant.registry.signature.OnnxSignatureReader;
import dev.sextant.registry.signature.Signature;
import dev.sextant.registry.signature.TensorSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registration and reads of models and versions. An upload is validated completely — metadata, ONNX Runtime
 * load, signature, feature binding — before anything is written; then the artifact is committed under its
 * digest and the version row, its tags and its event are written in one transaction.
 */
@Service
public class ModelService {

    private final ModelRepository models;
    private final ArtifactStore artifacts;
    private final OnnxSignatureReader signatures;
    private final ModelEventOutbox events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final long maxArtifactBytes;
    private final Counter registered;

    ModelService(
            ModelRepository models,
            ArtifactStore artifacts,
            OnnxSignatureReader signatures,
            ModelEventOutbox events,
            TransactionTemplate transactions,
            Clock clock,
            UploadLimits limits,
            MeterRegistry meters) {
        this.models = models;
        this.artifacts = artifacts;
        this.signatures = signatures;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.maxArtifactBytes = limits.maxArtifactBytes();
        this.registered = Counter.builder("sextant.registry.versions.registered")
                .description("Model versions registered")
                .register(meters);
    }

    /**
     * Registers a version from its ONNX artifact and, when {@code nativeModel} is given, the native model it was
     * exported from, whose format the metadata's {@code lineage.native_model} names.
     */
    public ModelVersionView register(
            String name, InputStream artifact, InputStream nativeModel, VersionMetadata metadata, String actor) {
        VersionMetadata.NativeModel named = metadata.lineage().nativeModel();
        if (nativeModel == null && named != null) {
            throw ApiException.badRequest(
                    "metadata.lineage.native_model names a native model but part 'native' is missing");
        }
        if (nativeModel != null && named == null) {
            throw ApiException.badRequest("part 'native' needs its format in metadata.lineage.native_model.format");
        }
        try (StagedArtifact staged = artifacts.stage(artifact, maxArtifactBytes);
                StagedArtifact stagedNative =
                        nativeModel == null ? null : artifacts.stage(nativeModel, maxArtifactBytes)) {
            if (staged.sizeBytes() == 0) {
                throw ApiException.badRequest("part 'file' is empty: upload the ONNX model bytes");
            }
            if (stagedNative != null && stagedNative.sizeBytes() == 0) {
                throw ApiException.badRequest("part 'native' is empty: upload the native model's bytes");
            }
            Signature signature = readSignature(staged);
            checkFeatureBinding(metadata.features(), signature);
            // Committed before the version row, so a committed version always has its artifact. Should the
            // transaction fail, the file stays: a concurrent upload of the same bytes may be about to use it.
            artifacts.commit(staged);
            VersionMetadata stored = metadata;
            if (stagedNative != null) {
                artifacts.commit(stagedNative);
                stored = metadata.withLineage(metadata.lineage()
                        .withNativeModel(new VersionMetadata.NativeModel(
                                named.format(), stagedNative.sha256(), stagedNative.sizeBytes())));
            }
            ModelVersionView version = insert(name, staged, signature, stored, actor);
            registered.increment();
            return version;
        } catch (ArtifactTooLargeException e) {
            throw ApiException.payloadTooLarge(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the artifact of model " + name, e);
        }
    }

    public RegisteredModelView model(String name) {
        return views(List.of(registeredModel(name))).get(0);
    }

    public List<RegisteredModelView> search(String nameContains, String tag, String alias, int limit, int offset) {
        String aliasName = alias == null ? null : Names.alias(alias);
        return views(models.search(nameContains, TagFilter.parse(tag), aliasName, limit, offset));
    }

    public ModelVersionView version(String name, int version) {
        ModelRepository.ModelRow model = registeredModel(name);
        return models.findVersion(model, version)
                .orElseThrow(() -> ApiException.notFound("model '" + name + "' has no version " + version));
    }

    public List<ModelVersionView> versions(String name, String tag, int limit, int offset) {
        ModelRepository.ModelRow model = registeredModel(name);
        return models.listVersions(model, TagFilter.parse(tag), limit, offset);
    }

    public Resource artifact(ModelVersionView version) {
        return artifacts
                .find(version.sha256())
                .orElseThrow(() -> new IllegalStateException("artifact " + version.sha256() + " of model "
                        + version.name() + " version " + version.version() + " is missing from the store"));
    }

    /** A version's native model, or a 404 when it was registered without one. */
    public Resource nativeModel(ModelVersionView version) {
        VersionMetadata.NativeModel nativeModel = version.lineage().nativeModel();
        if (nativeModel == null) {
            throw ApiException.notFound("model '" + version.name() + "' version " + version.version()
                    + " was registered without a native model");
        }
        return artifacts
                .find(nativeModel.sha256())
                .orElseThrow(() -> new IllegalStateException("native model " + nativeModel.sha256() + " of model "
                        + version.name() + " version " + version.version() + " is missing from the store"));
    }

    /** The 404 for a model name that has no registered version. */
    public static ApiException unknownModel(String name) {
        return ApiException.notFound("model '" + name + "' does not exist");
    }

    private ModelRepository.ModelRow registeredModel(String name) {
        return models.findRegistered(name, false).orElseThrow(() -> unknownModel(name));
    }

    private List<RegisteredModelView> views(List<ModelRepository.ModelRow> rows) {
        Map<Long, Map<String, Integer>> aliases =
                models.aliases(rows.stream().map(ModelRepository.ModelRow::id).toList());
        return rows.stream()
                .map(model -> new RegisteredModelView(
                        model.name(),
                        model.latestVersion(),
                        aliases.getOrDefault(model.id(), Map.of()),
                        model.createdAt(),
                        model.updatedAt()))
                .toList();
    }

    private ModelVersionView insert(
            String name, StagedArtifact staged, Signature signature, VersionMetadata metadata, String actor) {
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> models.createModelIfAbsent(name, now));
        return transactions.execute(status -> {
            ModelRepository.ModelRow model = models.allocateVersion(name, now);
            int version = model.latestVersion();
            models.insertVersion(new ModelRepository.NewVersion(
                    model.id(), version, staged.sha256(), staged.sizeBytes(), signature, metadata, now, actor));
            events.append(ModelEvent.versionRegistered(name, version, staged.sha256(), actor, now));
            return models.findVersion(model, version).orElseThrow();
        });
    }

    private Signature readSignature(StagedArtifact staged) {
        try {
            return signatures.read(staged.file());
        } catch (InvalidModelException e) {
            throw ApiException.badRequest("part 'file' is rejected: " + e.getMessage(), e);
        }
    }

    /**
     * The binding lists one feature per input column: either one input per feature, or one 2-D input whose
     * second dimension is the number of features (or dynamic).
     */
    static void checkFeatureBinding(List<VersionMetadata.FeatureBinding> features, Signature signature) {
        if (features.isEmpty()) {
            return;
        }
        List<TensorSpec> inputs = signature.inputs();
        if (inputs.size() == features.size()) {
            return;
        }
        if (inputs.size() == 1
                && inputs.get(0).shape() != null
                && inputs.get(0).shape().size() == 2) {
            long columns = inputs.get(0).shape().get(1);
            if (columns == -1 || columns == features.size()) {
                return;
            }
            throw ApiException.badRequest("metadata.features binds " + features.size() + " features but input '"
                    + inputs.get(0).name() + "' takes " + columns + " columns");
        }
        throw ApiException.badRequest("metadata.features binds " + features.size() + " features but the model has "
                + inputs.size() + " inputs; bind one feature per input, or per column of a single [batch, n] input");
    }
}
