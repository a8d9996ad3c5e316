package dev.sextant.testsupport;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds small ONNX models in code, so tests never download one: inputs and outputs with element types and
 * shapes ({@code -1} for a dynamic dimension), float initializers, operator nodes (default domain or another
 * imported operator set such as {@code ai.onnx.ml}) and ONNX-ML sequence-of-maps outputs.
 */
public final class OnnxModelBuilder {

    private static final int IR_VERSION = 8;
    private static final int OPSET = 13;

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final Map<String, Integer> opsets = new LinkedHashMap<>(Map.of("", OPSET));
    private String producer = "sextant-tests";

    private OnnxModelBuilder(String graphName) {
        graph.setName(graphName);
    }

    public static OnnxModelBuilder graph(String name) {
        return new OnnxModelBuilder(name);
    }

    public OnnxModelBuilder producer(String producerName) {
        this.producer = producerName;
        return this;
    }

    public OnnxModelBuilder input(String name, DataType type, long... shape) {
        graph.addInput(valueInfo(name, type, shape));
        return this;
    }

    public OnnxModelBuilder output(String name, DataType type, long... shape) {
        graph.addOutput(valueInfo(name, type, shape));
        return this;
    }

    public OnnxModelBuilder floatInitializer(String name, float[] values, long... dims) {
        OnnxMl.TensorProto.Builder tensor =
                OnnxMl.TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.getNumber());
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        for (float value : values) {
            tensor.addFloatData(value);
        }
        graph.addInitializer(tensor);
        return this;
    }

    public OnnxModelBuilder node(String operator, List<String> inputs, List<String> outputs) {
        return node("", operator, inputs, outputs);
    }

    /** A node of an operator set domain, such as {@code ai.onnx.ml}, declared with {@link #opset}. */
    public OnnxModelBuilder node(
            String domain,
            String operator,
            List<String> inputs,
            List<String> outputs,
            OnnxMl.AttributeProto... attributes) {
        graph.addNode(OnnxMl.NodeProto.newBuilder()
                .setDomain(domain)
                .setOpType(operator)
                .setName(operator + "_" + graph.getNodeCount())
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .addAllAttribute(List.of(attributes)));
        return this;
    }

    /** Imports another operator set, e.g. {@code opset("ai.onnx.ml", 3)}. */
    public OnnxModelBuilder opset(String domain, int version) {
        opsets.put(domain, version);
        return this;
    }

    /** An output that is a sequence of maps, as ONNX-ML classifiers return per-class probabilities. */
    public OnnxModelBuilder sequenceOfMapsOutput(String name, DataType keyType, DataType valueType) {
        OnnxMl.TypeProto value = OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(valueType.getNumber()))
                .build();
        OnnxMl.TypeProto map = OnnxMl.TypeProto.newBuilder()
                .setMapType(OnnxMl.TypeProto.Map.newBuilder()
                        .setKeyType(keyType.getNumber())
                        .setValueType(value))
                .build();
        graph.addOutput(OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.TypeProto.newBuilder()
                        .setSequenceType(OnnxMl.TypeProto.Sequence.newBuilder().setElemType(map))));
        return this;
    }

    public static OnnxMl.AttributeProto intsAttribute(String name, long... values) {
        OnnxMl.AttributeProto.Builder attribute =
                OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }

    /** The serialized model: the bytes of a {@code model.onnx} file. */
    public byte[] build() {
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(producer)
                .addOpsetImport(
                        OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, DataType type, long... shape) {
        OnnxMl.TensorShapeProto.Builder dims = OnnxMl.TensorShapeProto.newBuilder();
        for (int i = 0; i < shape.length; i++) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (shape[i] < 0) {
                dim.setDimParam(i == 0 ? "batch" : "d" + i);
            } else {
                dim.setDimValue(shape[i]);
            }
            dims.addDim(dim);
        }
        OnnxMl.TypeProto.Tensor tensor = OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(type.getNumber())
                .setShape(dims)
                .build();
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(tensor))
                .build();
    }
}
