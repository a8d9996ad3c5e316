package dev.sextant.prediction.inference;

import dev.sextant.prediction.api.InferenceError;
import dev.sextant.prediction.runtime.Datatype;
import dev.sextant.prediction.runtime.ModelSignature;
import dev.sextant.prediction.runtime.Tensor;
import dev.sextant.prediction.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Turns an infer request's inputs into tensors after checking each against the model's signature (name,
 * datatype, shape, element count, every element's type and range), and tensors back into response outputs.
 * Every refusal is an {@link InferenceError} naming the input; the runtime is never called with data it
 * would reject.
 */
final class TensorCodec {

    /** Elements accepted in one input; beyond this a request is refused before any array is allocated. */
    static final long MAX_ELEMENTS = 16 * 1024 * 1024;

    private TensorCodec() {}

    static List<Tensor> inputs(ModelSignature signature, List<InferenceMessages.RequestInput> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw InferenceError.badRequest("inputs must list the model's inputs: " + names(signature.inputs()));
        }
        Set<String> seen = new HashSet<>();
        List<Tensor> tensors = new ArrayList<>();
        for (InferenceMessages.RequestInput input : inputs) {
            if (input == null || input.name() == null) {
                throw InferenceError.badRequest(
                        "every input needs a name; the model's inputs: " + names(signature.inputs()));
            }
            TensorSpec spec = signature
                    .input(input.name())
                    .orElseThrow(() -> InferenceError.badRequest(
                            "unknown input '" + input.name() + "'; the model's inputs: " + names(signature.inputs())));
            if (!seen.add(input.name())) {
                throw InferenceError.badRequest("input '" + input.name() + "' is given twice");
            }
            tensors.add(tensor(spec, input));
        }
        List<String> missing = signature.inputs().stream()
                .map(TensorSpec::name)
                .filter(name -> !seen.contains(name))
                .toList();
        if (!missing.isEmpty()) {
            throw InferenceError.badRequest("missing input(s) " + missing);
        }
        return tensors;
    }

    /** The outputs to compute: those requested, in request order, or all of the model's in its order. */
    static Set<String> outputs(ModelSignature signature, List<InferenceMessages.RequestOutput> requested) {
        if (requested == null || requested.isEmpty()) {
            return signature.outputNames();
        }
        Set<String> names = new LinkedHashSet<>();
        for (InferenceMessages.RequestOutput output : requested) {
            String name = output == null ? null : output.name();
            if (name == null || signature.output(name).isEmpty()) {
                throw InferenceError.badRequest(
                        "unknown output '" + name + "'; the model's outputs: " + names(signature.outputs()));
            }
            if (!names.add(name)) {
                throw InferenceError.badRequest("output '" + name + "' is requested twice");
            }
        }
        return names;
    }

    static InferenceMessages.ResponseOutput output(Tensor tensor) {
        Map<String, Object> parameters = tensor.labels() == null ? null : Map.of("labels", tensor.labels());
        return new InferenceMessages.ResponseOutput(
                tensor.name(),
                tensor.datatype().name(),
                tensor.shape(),
                parameters,
                tensor.datatype().jsonValues(tensor.values()));
    }

    private static Tensor tensor(TensorSpec spec, InferenceMessages.RequestInput input) {
        String name = "input '" + input.name() + "'";
        Datatype datatype = Datatype.named(input.datatype() == null ? "" : input.datatype())
                .orElseThrow(() -> InferenceError.badRequest(
                        name + " has datatype '" + input.datatype() + "'; the model takes " + spec.datatype()));
        if (datatype != spec.datatype()) {
            throw InferenceError.badRequest(
                    name + " has datatype " + datatype + "; the model takes " + spec.datatype());
        }
        long[] shape = shape(spec, input.shape(), name);
        long count;
        try {
            count = Tensor.elementCount(shape);
        } catch (ArithmeticException e) {
            throw InferenceError.badRequest(name + " has shape " + shown(input.shape()) + ", too large");
        }
        if (count > MAX_ELEMENTS) {
            throw InferenceError.badRequest(name + " has " + count + " elements; at most " + MAX_ELEMENTS);
        }
        // counted before anything is allocated: a short request declaring a huge shape costs nothing
        long given = JsonElements.count(input.data(), name);
        if (given != count) {
            throw InferenceError.badRequest(name + " has " + given + " element(s) in data; its shape "
                    + shown(input.shape()) + " holds " + count);
        }
        Object values = datatype.newArray((int) count);
        JsonElements.fill(input.data(), datatype, values, name);
        return new Tensor(input.name(), datatype, shape, values);
    }

    private static long[] shape(TensorSpec spec, JsonNode given, String name) {
        if (given == null || !given.isArray() || given.size() != spec.shape().size()) {
            throw InferenceError.badRequest(
                    name + " has shape " + shown(given) + "; the model takes " + spec.shape() + " (-1: any size)");
        }
        long[] shape = new long[given.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = given.get(i);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.longValue() < 0) {
                throw InferenceError.badRequest(name + " has shape " + shown(given) + ": dimension " + i + " is " + dim
                        + ", not a whole number of at least 0");
            }
            long expected = spec.shape().get(i);
            if (expected >= 0 && dim.longValue() != expected) {
                throw InferenceError.badRequest(
                        name + " has shape " + shown(given) + "; the model takes " + spec.shape() + " (-1: any size)");
            }
            shape[i] = dim.longValue();
        }
        return shape;
    }

    /** A shape as the client wrote it, spaced as a list is: {@code [1, 3]}. */
    private static String shown(JsonNode shape) {
        if (shape == null || !shape.isArray()) {
            return String.valueOf(shape);
        }
        List<String> dims = new ArrayList<>();
        shape.forEach(dim -> dims.add(dim.toString()));
        return dims.toString();
    }

    private static List<String> names(List<TensorSpec> specs) {
        return specs.stream()
                .map(spec -> spec.name() + " " + spec.datatype() + spec.shape())
                .toList();
    }
}
