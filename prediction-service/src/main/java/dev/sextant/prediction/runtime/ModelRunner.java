package dev.sextant.prediction.runtime;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one loaded model. The seam between serving and the inference engine (ONNX Runtime today). Thread-safe;
 * closed by its owner once no request uses it.
 */
public interface ModelRunner extends AutoCloseable {

    ModelSignature signature();

    /** The execution provider the model runs on, e.g. {@code CPU} or {@code CUDA}. */
    String executionProvider();

    /**
     * @param inputs one tensor per input of the signature, already checked against it
     * @param outputs the names of the outputs to compute, in the order to answer them
     * @return the requested outputs by name, in that order
     */
    Map<String, Tensor> run(List<Tensor> inputs, Set<String> outputs) throws ModelRunException;

    @Override
    void close();
}
