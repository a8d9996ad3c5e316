package dev.sextant.testsupport;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.List;

/** Ready-made ONNX models for tests. */
public final class OnnxModels {

    private OnnxModels() {}

    /**
     * Writes a generated model for the benchmark scripts: {@code mlp <inputs> <hidden> <seed> <file>}.
     */
    public static void main(String[] args) throws java.io.IOException {
        if (args.length != 5 || !args[0].equals("mlp")) {
            throw new IllegalArgumentException("usage: mlp <inputs> <hidden> <seed> <file>");
        }
        byte[] model = mlp(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
        java.nio.file.Files.write(java.nio.file.Path.of(args[4]), model);
    }

    /**
     * A logistic regression: input {@code features} FLOAT [-1, n], output {@code probability} FLOAT [-1, 1]
     * equal to {@code sigmoid(features · weights + bias)}.
     */
    public static byte[] logisticRegression(float[] weights, float bias) {
        int n = weights.length;
        return OnnxModelBuilder.graph("logistic_regression")
                .input("features", DataType.FLOAT, -1, n)
                .floatInitializer("weights", weights, n, 1)
                .floatInitializer("bias", new float[] {bias}, 1)
                .node("MatMul", List.of("features", "weights"), List.of("logit_raw"))
                .node("Add", List.of("logit_raw", "bias"), List.of("logit"))
                .node("Sigmoid", List.of("logit"), List.of("probability"))
                .output("probability", DataType.FLOAT, -1, 1)
                .build();
    }

    /**
     * A small multi-layer perceptron: input {@code features} FLOAT [-1, inputs], one ReLU hidden layer of
     * {@code hidden} units, output {@code probability} FLOAT [-1, 1] (sigmoid). The weights are drawn from a
     * fixed-seed generator, so the same arguments always give the same bytes.
     */
    public static byte[] mlp(int inputs, int hidden, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] w1 = new float[inputs * hidden];
        float[] b1 = new float[hidden];
        float[] w2 = new float[hidden];
        float scale1 = (float) Math.sqrt(2.0 / inputs);
        float scale2 = (float) Math.sqrt(1.0 / hidden);
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) (random.nextDouble(-1, 1) * scale1);
        }
        for (int i = 0; i < hidden; i++) {
            b1[i] = (float) random.nextDouble(-0.1, 0.1);
            w2[i] = (float) (random.nextDouble(-1, 1) * scale2);
        }
        return OnnxModelBuilder.graph("mlp_" + inputs + "_" + hidden)
                .input("features", DataType.FLOAT, -1, inputs)
                .floatInitializer("w1", w1, inputs, hidden)
                .floatInitializer("b1", b1, hidden)
                .floatInitializer("w2", w2, hidden, 1)
                .floatInitializer("b2", new float[] {0f}, 1)
                .node("MatMul", List.of("features", "w1"), List.of("h_raw"))
                .node("Add", List.of("h_raw", "b1"), List.of("h_biased"))
                .node("Relu", List.of("h_biased"), List.of("hidden"))
                .node("MatMul", List.of("hidden", "w2"), List.of("logit_raw"))
                .node("Add", List.of("logit_raw", "b2"), List.of("logit"))
                .node("Sigmoid", List.of("logit"), List.of("probability"))
                .output("probability", DataType.FLOAT, -1, 1)
                .build();
    }

    /** A model that returns its input: one tensor of the given element type and shape in and out. */
    public static byte[] identity(DataType type, long... shape) {
        return OnnxModelBuilder.graph("identity_" + type.name().toLowerCase())
                .input("input", type, shape)
                .node("Identity", List.of("input"), List.of("output"))
                .output("output", type, shape)
                .build();
    }

    /**
     * An ONNX-ML model that turns per-class scores into a sequence of maps with ZipMap: input {@code scores}
     * FLOAT [-1, classes], output {@code probabilities} seq(map(INT64, FLOAT)) keyed by the class labels.
     */
    public static byte[] zipMap(long... classLabels) {
        return OnnxModelBuilder.graph("zip_map")
                .opset("ai.onnx.ml", 3)
                .input("scores", DataType.FLOAT, -1, classLabels.length)
                .node(
                        "ai.onnx.ml",
                        "ZipMap",
                        List.of("scores"),
                        List.of("probabilities"),
                        OnnxModelBuilder.intsAttribute("classlabels_int64s", classLabels))
                .sequenceOfMapsOutput("probabilities", DataType.INT64, DataType.FLOAT)
                .build();
    }
}
