package dev.sextant.registry.signature;

import java.util.List;

/** What a model takes and returns, in input and output order, in Open Inference Protocol terms. */
public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public Signature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
