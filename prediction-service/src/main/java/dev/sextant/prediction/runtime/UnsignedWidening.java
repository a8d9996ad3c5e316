package dev.sextant.prediction.runtime;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * ONNX Runtime's Java API cannot make or read tensors of UINT16, UINT32 or UINT64. A model with such inputs or
 * outputs is served through a rewritten graph: each such input becomes a wider signed input (INT32 for UINT16,
 * INT64 for UINT32 and UINT64) that a {@code Cast} node turns back into the original type, and each such output
 * is {@code Cast} to the wider type. UINT64 values travel as the INT64 with the same bits: ONNX Runtime's
 * {@code Cast} between the two keeps the bits, so every value round-trips. The graph's own nodes are untouched.
 *
 * @param model the rewritten model
 * @param served for each widened input and output, the unsigned datatype the clients see
 */
record UnsignedWidening(byte[] model, Map<String, Datatype> served) {

    private static final String SUFFIX = "__sextant_unsigned";

    private static final Map<DataType, DataType> WIDER = Map.of(
            DataType.UINT16, DataType.INT32,
            DataType.UINT32, DataType.INT64,
            DataType.UINT64, DataType.INT64);

    private static final Map<DataType, Datatype> SERVED = Map.of(
            DataType.UINT16, Datatype.UINT16,
            DataType.UINT32, Datatype.UINT32,
            DataType.UINT64, Datatype.UINT64);

    static UnsignedWidening of(byte[] onnx) throws ModelRunException {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelRunException("the model is not a valid ONNX file: " + e.getMessage(), e);
        }
        GraphProto graph = model.getGraph();
        GraphProto.Builder rewritten = graph.toBuilder();
        Map<String, Datatype> served = new LinkedHashMap<>();
        Map<String, String> renamedInputs = new LinkedHashMap<>();
        Map<String, String> renamedOutputs = new LinkedHashMap<>();
        Set<String> graphInputs = new java.util.HashSet<>();
        graph.getInputList().forEach(input -> graphInputs.add(input.getName()));

        for (int i = 0; i < graph.getInputCount(); i++) {
            ValueInfoProto input = graph.getInput(i);
            DataType type = elementType(input);
            if (type == null || !WIDER.containsKey(type)) {
                continue;
            }
            String inside = input.getName() + SUFFIX;
            renamedInputs.put(input.getName(), inside);
            served.put(input.getName(), SERVED.get(type));
            rewritten.setInput(i, withElementType(input, WIDER.get(type)));
        }
        for (int i = 0; i < graph.getOutputCount(); i++) {
            ValueInfoProto output = graph.getOutput(i);
            DataType type = elementType(output);
            if (type == null || !WIDER.containsKey(type)) {
                continue;
            }
            if (graphInputs.contains(output.getName())) {
                throw new ModelRunException("output '" + output.getName() + "' is also an input of the graph", null);
            }
            renamedOutputs.put(output.getName(), output.getName() + SUFFIX);
            served.put(output.getName(), SERVED.get(type));
            rewritten.setOutput(i, withElementType(output, WIDER.get(type)));
        }

        // every node reads the original-typed value under its inside name; outputs are produced under theirs
        rewritten.clearNode();
        for (Map.Entry<String, String> input : renamedInputs.entrySet()) {
            rewritten.addNode(cast(input.getKey(), input.getValue(), elementType(graph, input.getKey())));
        }
        for (NodeProto node : graph.getNodeList()) {
            NodeProto.Builder renamed = node.toBuilder();
            for (int k = 0; k < node.getInputCount(); k++) {
                String name = node.getInput(k);
                String inside = renamedInputs.getOrDefault(name, renamedOutputs.get(name));
                if (inside != null) {
                    renamed.setInput(k, inside);
                }
            }
            for (int k = 0; k < node.getOutputCount(); k++) {
                String inside = renamedOutputs.get(node.getOutput(k));
                if (inside != null) {
                    renamed.setOutput(k, inside);
                }
            }
            rewritten.addNode(renamed);
        }
        for (Map.Entry<String, String> output : renamedOutputs.entrySet()) {
            DataType wider = WIDER.get(elementType(graph.getOutputList(), output.getKey()));
            rewritten.addNode(cast(output.getValue(), output.getKey(), wider));
        }
        return new UnsignedWidening(
                model.toBuilder().setGraph(rewritten).build().toByteArray(), Map.copyOf(served));
    }

    private static NodeProto cast(String from, String to, DataType type) {
        return NodeProto.newBuilder()
                .setOpType("Cast")
                .setName("sextant_cast_" + to)
                .addInput(from)
                .addOutput(to)
                .addAttribute(AttributeProto.newBuilder()
                        .setName("to")
                        .setType(AttributeProto.AttributeType.INT)
                        .setI(type.getNumber()))
                .build();
    }

    private static DataType elementType(ValueInfoProto value) {
        return value.getType().hasTensorType()
                ? DataType.forNumber(value.getType().getTensorType().getElemType())
                : null;
    }

    private static DataType elementType(GraphProto graph, String input) {
        return elementType(graph.getInputList(), input);
    }

    private static DataType elementType(java.util.List<ValueInfoProto> values, String name) {
        return values.stream()
                .filter(value -> value.getName().equals(name))
                .map(UnsignedWidening::elementType)
                .findFirst()
                .orElseThrow();
    }

    private static ValueInfoProto withElementType(ValueInfoProto value, DataType type) {
        ValueInfoProto.Builder builder = value.toBuilder();
        builder.getTypeBuilder().getTensorTypeBuilder().setElemType(type.getNumber());
        return builder.build();
    }
}
