package dev.sextant.testinfra;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.List;

/**
 * Builds small ONNX models in code, so tests never download one: inputs and outputs with element types and
 * shapes ({@code -1} for a dynamic dimension), float initializers and operator nodes from the default domain.
 */
public final class OnnxModelBuilder {

    private static final int IR_VERSION = 8;
    private static final int OPSET = 13;

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
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
        graph.addNode(OnnxMl.NodeProto.newBuilder()
                .setOpType(operator)
                .setName(operator + "_" + graph.getNodeCount())
                .addAllInput(inputs)
                .addAllOutput(outputs));
        return this;
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
