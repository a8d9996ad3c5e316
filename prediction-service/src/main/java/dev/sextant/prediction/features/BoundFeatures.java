package dev.sextant.prediction.features;

import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.definition.ValueType;
import dev.sextant.features.client.online.FeatureSelection;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.runtime.Datatype;
import dev.sextant.prediction.runtime.ModelSignature;
import dev.sextant.prediction.runtime.TensorSpec;
import dev.sextant.registry.client.FeatureBinding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A model version's feature binding resolved once against the feature repository and the model's signature:
 * which online features to read (stored and on-demand), which join keys and request values that takes, and how
 * each column lands in the input tensors. Registry versions never change and the repository is fixed for the
 * process, so a version is resolved once.
 *
 * <p>Two input layouts are served, the two the registry accepts: one {@code [batch, n]} input holding every
 * column, or one input per column ({@code [batch]} or {@code [batch, 1]}).
 *
 * @param model the version, e.g. {@code fraud-detector v2}, for messages
 * @param columns the bound columns, in input-column order
 * @param onlineRefs the {@code view:feature} references of the online columns, in column order (read in one
 *     pipelined request)
 * @param joinKeys the join keys the online views need, by name
 * @param requestFields the request values the bound on-demand views compute from
 * @param inputs the model inputs: one for the matrix layout, else one per column
 * @param matrix whether every column goes into one {@code [batch, n]} input
 */
public record BoundFeatures(
        String model,
        List<Column> columns,
        List<String> onlineRefs,
        Map<String, JoinKey> joinKeys,
        List<OnDemandView.RequestField> requestFields,
        List<TensorSpec> inputs,
        boolean matrix) {

    static final String REQUEST_PREFIX = "request:";

    /**
     * One input column.
     *
     * @param ref as bound: {@code view:feature} or {@code request:name}
     * @param online the index in {@link #onlineRefs}, or -1 for a request value
     * @param type the feature's declared type (null for a request value: typed by the input it feeds)
     * @param defaultValue the bound default as Long, Double, Boolean or String; null when there is none
     * @param datatype the datatype of the input the column feeds
     */
    public record Column(String ref, int online, ValueType type, Object defaultValue, Datatype datatype) {

        boolean fromRequest() {
            return online < 0;
        }

        /** The request field a request column reads. */
        String requestName() {
            return ref.substring(REQUEST_PREFIX.length());
        }
    }

    /** Whether one run can take many rows (the inputs' first dimension is variable). */
    boolean batchable() {
        return inputs.stream().allMatch(TensorSpec::batchable);
    }

    /**
     * Resolves a version's binding.
     *
     * @throws UnboundModelException when the version declares no binding, binds features the repository does not
     *     define, or binds them to inputs that cannot hold them
     */
    static BoundFeatures of(LoadedModel model, FeatureRepository repository) {
        String name = model.toString();
        List<FeatureBinding> bindings = model.features();
        if (bindings.isEmpty()) {
            throw new UnboundModelException(name + " declares no feature binding (metadata.features in the registry);"
                    + " score it with the Open Inference Protocol, POST /v2/models/" + model.name() + "/infer");
        }
        ModelSignature signature = model.runner().signature();
        List<TensorSpec> specs = signature.inputs();
        boolean matrix;
        if (specs.size() == 1
                && specs.get(0).shape().size() == 2
                && (specs.get(0).shape().get(1) == -1 || specs.get(0).shape().get(1) == bindings.size())) {
            matrix = true;
        } else if (specs.size() == bindings.size()) {
            matrix = false;
            for (TensorSpec spec : specs) {
                List<Long> shape = spec.shape();
                if (shape.size() > 2 || (shape.size() == 2 && shape.get(1) != 1 && shape.get(1) != -1)) {
                    throw new UnboundModelException(name + " binds one feature per input, but input '" + spec.name()
                            + "' has shape " + shape + "; each input must take one value per row");
                }
            }
        } else {
            throw new UnboundModelException(name + " binds " + bindings.size() + " features, which fit neither its "
                    + specs.size() + " inputs nor the columns of one [batch, n] input");
        }

        List<String> onlineRefs = new ArrayList<>();
        for (FeatureBinding binding : bindings) {
            if (!binding.ref().startsWith(REQUEST_PREFIX)) {
                onlineRefs.add(binding.ref());
            }
        }
        FeatureSelection selection = null;
        Map<String, JoinKey> joinKeys = new LinkedHashMap<>();
        if (!onlineRefs.isEmpty()) {
            try {
                selection = FeatureSelection.of(repository, onlineRefs);
            } catch (InvalidFeatureRequestException e) {
                throw new UnboundModelException(
                        name + " binds features the feature repository cannot serve: " + e.getMessage());
            }
            selection.storedByView(repository).keySet().forEach(view -> view.joinKeys()
                    .forEach(key -> joinKeys.putIfAbsent(key.name(), key)));
        }

        List<Column> columns = new ArrayList<>();
        int online = 0;
        for (int i = 0; i < bindings.size(); i++) {
            FeatureBinding binding = bindings.get(i);
            Datatype datatype = (matrix ? specs.get(0) : specs.get(i)).datatype();
            boolean fromRequest = binding.ref().startsWith(REQUEST_PREFIX);
            ValueType type = fromRequest
                    ? null
                    : selection.requested().get(online).feature().type();
            String where = name + " feature " + binding.ref();
            if (type != null && !FeatureValues.fits(type, datatype)) {
                throw new UnboundModelException(
                        where + " is " + type + " but feeds a " + datatype + " input; it cannot hold it");
            }
            Object defaultValue = defaultValue(binding.defaultValue(), where);
            if (defaultValue != null) {
                try {
                    FeatureValues.check(defaultValue, datatype);
                } catch (IllegalArgumentException e) {
                    throw new UnboundModelException(
                            where + " has default " + binding.defaultValue() + ": " + e.getMessage());
                }
            }
            columns.add(new Column(binding.ref(), fromRequest ? -1 : online++, type, defaultValue, datatype));
        }
        return new BoundFeatures(
                name,
                List.copyOf(columns),
                List.copyOf(onlineRefs),
                Collections.unmodifiableMap(joinKeys),
                selection == null ? List.of() : selection.requestFields(),
                specs,
                matrix);
    }

    private static Object defaultValue(JsonNode node, String where) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isString()) {
            return node.asString();
        }
        throw new UnboundModelException(where + " has default " + node + "; a default is a number, text or boolean");
    }
}
