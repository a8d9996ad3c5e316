package dev.sextant.xgboost.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An XGBoost binary classifier as an ONNX graph: {@code features [batch, n]} → {@code ai.onnx.ml}
 * TreeEnsembleRegressor (the sum of the trees' leaves plus the base margin) → Sigmoid → {@code probability [batch,
 * 1]}, the contract every Sextant trainer exports.
 *
 * <p>What keeps it exact: each split is {@code BRANCH_LT} with XGBoost's float threshold, so a value on a threshold
 * goes right in both; a missing value (NaN) follows the node's learned default direction ({@code
 * nodes_missing_value_tracks_true}); the base score enters in margin space, where XGBoost adds it, not as a
 * probability (the bug of onnxruntime#11892); the negatives' downsampling is undone in margin space too, since
 * {@code p1 / (p1 + p0 / r) = sigmoid(margin + ln r)}.
 */
public final class TreeEnsembleExport {

    public static final String INPUT = "features";
    public static final String OUTPUT = "probability";
    private static final String ML_DOMAIN = "ai.onnx.ml";

    private TreeEnsembleExport() {}

    /**
     * @param booster the parsed model
     * @param marginShift added to every margin before the sigmoid: {@code ln(r)} for a kept-negatives rate {@code r}
     * @param graphName the registered model's name
     * @param description the model's doc string (trainer and library version)
     */
    public static byte[] onnx(BoosterModel booster, double marginShift, String graphName, String description) {
        List<Long> treeIds = new ArrayList<>();
        List<Long> nodeIds = new ArrayList<>();
        List<Long> featureIds = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        List<Long> trueIds = new ArrayList<>();
        List<Long> falseIds = new ArrayList<>();
        List<Long> missingTrue = new ArrayList<>();
        List<Long> targetTrees = new ArrayList<>();
        List<Long> targetNodes = new ArrayList<>();
        List<Float> targetWeights = new ArrayList<>();
        for (int t = 0; t < booster.trees().size(); t++) {
            BoosterModel.Tree tree = booster.trees().get(t);
            for (int node : tree.reachable()) {
                treeIds.add((long) t);
                nodeIds.add((long) node);
                if (tree.isLeaf(node)) {
                    featureIds.add(0L);
                    values.add(0f);
                    modes.add("LEAF");
                    trueIds.add(0L);
                    falseIds.add(0L);
                    missingTrue.add(0L);
                    targetTrees.add((long) t);
                    targetNodes.add((long) node);
                    targetWeights.add(tree.threshold()[node]);
                } else {
                    featureIds.add((long) tree.splitIndex()[node]);
                    values.add(tree.threshold()[node]);
                    modes.add("BRANCH_LT");
                    trueIds.add((long) tree.left()[node]);
                    falseIds.add((long) tree.right()[node]);
                    missingTrue.add(tree.defaultLeft()[node] ? 1L : 0L);
                }
            }
        }
        float base = (float) (booster.baseMargin() + marginShift);
        NodeProto ensemble = NodeProto.newBuilder()
                .setName("trees")
                .setOpType("TreeEnsembleRegressor")
                .setDomain(ML_DOMAIN)
                .addInput(INPUT)
                .addOutput("margin")
                .addAttribute(text("aggregate_function", "SUM"))
                .addAttribute(text("post_transform", "NONE"))
                .addAttribute(integer("n_targets", 1))
                .addAttribute(floats("base_values", List.of(base)))
                .addAttribute(ints("nodes_treeids", treeIds))
                .addAttribute(ints("nodes_nodeids", nodeIds))
                .addAttribute(ints("nodes_featureids", featureIds))
                .addAttribute(floats("nodes_values", values))
                .addAttribute(texts("nodes_modes", modes))
                .addAttribute(ints("nodes_truenodeids", trueIds))
                .addAttribute(ints("nodes_falsenodeids", falseIds))
                .addAttribute(ints("nodes_missing_value_tracks_true", missingTrue))
                .addAttribute(ints("target_treeids", targetTrees))
                .addAttribute(ints("target_nodeids", targetNodes))
                .addAttribute(ints("target_ids", java.util.Collections.nCopies(targetTrees.size(), 0L)))
                .addAttribute(floats("target_weights", targetWeights))
                .build();
        NodeProto sigmoid = NodeProto.newBuilder()
                .setName("sigmoid")
                .setOpType("Sigmoid")
                .addInput("margin")
                .addOutput(OUTPUT)
                .build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .setName(graphName)
                .addInput(floatMatrix(INPUT, booster.features()))
                .addOutput(floatMatrix(OUTPUT, 1))
                .addNode(ensemble)
                .addNode(sigmoid)
                .build();
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(
                        OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder()
                        .setDomain(ML_DOMAIN)
                        .setVersion(3))
                .setProducerName("dev.sextant.training")
                .setDomain("dev.sextant.training")
                .setModelVersion(1)
                .setDocString(description)
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private static ValueInfoProto floatMatrix(String name, int columns) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(columns))
                .build();
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(TensorProto.DataType.FLOAT.getNumber())
                                .setShape(shape)))
                .build();
    }

    private static AttributeProto text(String name, String value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8))
                .build();
    }

    private static AttributeProto texts(String name, List<String> values) {
        AttributeProto.Builder attribute =
                AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
        values.forEach(value -> attribute.addStrings(ByteString.copyFrom(value, StandardCharsets.UTF_8)));
        return attribute.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    private static AttributeProto ints(String name, List<Long> values) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INTS)
                .addAllInts(values)
                .build();
    }

    private static AttributeProto floats(String name, List<Float> values) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.FLOATS)
                .addAllFloats(values)
                .build();
    }
}
