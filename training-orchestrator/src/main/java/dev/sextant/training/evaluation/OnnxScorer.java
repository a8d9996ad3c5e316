package dev.sextant.training.evaluation;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sextant.training.dataset.Matrix;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Scores rows with an ONNX model in ONNX Runtime, as the prediction service will: the candidate's exported
 * artifact and the champion's registered one. A model is scorable here when it takes one FP32 {@code [batch, n]}
 * input and answers the positive class's probability: an output named {@code probability}, else its first output,
 * as one column (or the second of two: a classifier's per-class probabilities).
 */
public final class OnnxScorer implements AutoCloseable {

    private static final int BATCH = 8192;

    private final OrtSession session;
    private final String input;
    private final String output;
    private final int columns;

    public OnnxScorer(byte[] onnx) {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            this.session = OrtEnvironment.getEnvironment().createSession(onnx, options);
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1
                    || !(inputs.values().iterator().next().getInfo() instanceof TensorInfo info)
                    || info.getShape().length != 2
                    || info.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
                session.close();
                throw new UnscorableModelException("the model does not take one FP32 [batch, n] input: " + inputs);
            }
            this.input = inputs.keySet().iterator().next();
            this.columns = (int) info.getShape()[1];
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            this.output = outputs.containsKey("probability")
                    ? "probability"
                    : outputs.keySet().iterator().next();
        } catch (OrtException e) {
            throw new UnscorableModelException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** The positive class's probability for each row. */
    public float[] score(Matrix x) {
        if (columns > 0 && columns != x.columns()) {
            throw new UnscorableModelException("the model takes " + columns + " columns, the rows have " + x.columns());
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        float[] scores = new float[x.rows()];
        for (int from = 0; from < x.rows(); from += BATCH) {
            int to = Math.min(x.rows(), from + BATCH);
            FloatBuffer buffer = FloatBuffer.wrap(x.values(), from * x.columns(), (to - from) * x.columns());
            try (OnnxTensor tensor =
                            OnnxTensor.createTensor(environment, buffer.slice(), new long[] {to - from, x.columns()});
                    OrtSession.Result result = session.run(Map.of(input, tensor), java.util.Set.of(output))) {
                OnnxValue value = result.get(0);
                float[] flat = ((OnnxTensor) value).getFloatBuffer().array();
                int width = flat.length / (to - from);
                if (width != 1 && width != 2) {
                    throw new UnscorableModelException("output '" + output + "' has " + width
                            + " values per row; a probability (1) or two class probabilities (2) are expected");
                }
                for (int r = 0; r < to - from; r++) {
                    scores[from + r] = flat[r * width + width - 1];
                }
            } catch (OrtException e) {
                throw new UnscorableModelException("ONNX Runtime failed to score: " + e.getMessage(), e);
            }
        }
        return scores;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing an ONNX Runtime session failed", e);
        }
    }
}
