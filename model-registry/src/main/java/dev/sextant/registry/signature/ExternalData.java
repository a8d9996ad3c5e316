package dev.sextant.registry.signature;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.FunctionProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.SparseTensorProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a tensor of an ONNX model that keeps its data in an external file ({@code data_location: EXTERNAL}), in
 * the main graph, in subgraphs of node attributes and in functions. Such a model cannot be registered: the
 * artifact is one file, and the prediction service loads it from bytes, where a relative location would be read
 * from its working directory.
 *
 * <p>The file is walked in protobuf's wire format rather than parsed into {@link ModelProto}: only the message
 * fields that can hold tensors are descended into, and everything else (the weights' raw bytes) is skipped, so a
 * model of hundreds of megabytes is checked without holding a copy of it.
 */
final class ExternalData {

    /** Nesting deeper than this (graphs in attributes in graphs ...) is refused rather than walked. */
    static final int MAX_DEPTH = 100;

    private int depth;

    private ExternalData() {}

    /**
     * The first tensor with external data, as {@code 'name' (location 'weights.bin')}, if any.
     *
     * @throws InvalidProtocolBufferException when the file is not a protobuf message, or nests deeper than {@value
     *     #MAX_DEPTH}
     */
    static Optional<String> find(Path onnxFile) throws IOException {
        try (InputStream in = Files.newInputStream(onnxFile)) {
            CodedInputStream input = CodedInputStream.newInstance(in);
            input.setSizeLimit(Integer.MAX_VALUE);
            return Optional.ofNullable(new ExternalData().model(input));
        }
    }

    private String model(CodedInputStream in) throws IOException {
        return walk(in, field -> switch (field) {
            case ModelProto.GRAPH_FIELD_NUMBER -> this::graph;
            case ModelProto.FUNCTIONS_FIELD_NUMBER -> this::function;
            default -> null;
        });
    }

    private String graph(CodedInputStream in) throws IOException {
        return walk(in, field -> switch (field) {
            case GraphProto.NODE_FIELD_NUMBER -> this::node;
            case GraphProto.INITIALIZER_FIELD_NUMBER -> this::tensor;
            case GraphProto.SPARSE_INITIALIZER_FIELD_NUMBER -> this::sparseTensor;
            default -> null;
        });
    }

    private String function(CodedInputStream in) throws IOException {
        return walk(in, field -> field == FunctionProto.NODE_FIELD_NUMBER ? this::node : null);
    }

    private String node(CodedInputStream in) throws IOException {
        return walk(in, field -> field == NodeProto.ATTRIBUTE_FIELD_NUMBER ? this::attribute : null);
    }

    private String attribute(CodedInputStream in) throws IOException {
        return walk(in, field -> switch (field) {
            case AttributeProto.T_FIELD_NUMBER, AttributeProto.TENSORS_FIELD_NUMBER -> this::tensor;
            case AttributeProto.G_FIELD_NUMBER, AttributeProto.GRAPHS_FIELD_NUMBER -> this::graph;
            case AttributeProto.SPARSE_TENSOR_FIELD_NUMBER, AttributeProto.SPARSE_TENSORS_FIELD_NUMBER ->
                this::sparseTensor;
            default -> null;
        });
    }

    private String sparseTensor(CodedInputStream in) throws IOException {
        return walk(
                in,
                field -> field == SparseTensorProto.VALUES_FIELD_NUMBER
                                || field == SparseTensorProto.INDICES_FIELD_NUMBER
                        ? this::tensor
                        : null);
    }

    /** A tensor's name and location when its data is external; its raw data is skipped, never read. */
    private String tensor(CodedInputStream in) throws IOException {
        String name = "";
        String location = "";
        boolean external = false;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == TensorProto.NAME_FIELD_NUMBER
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                name = in.readString();
            } else if (field == TensorProto.DATA_LOCATION_FIELD_NUMBER
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                external = in.readEnum() == TensorProto.DataLocation.EXTERNAL_VALUE;
            } else if (field == TensorProto.EXTERNAL_DATA_FIELD_NUMBER
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                StringStringEntryProto entry = StringStringEntryProto.parseFrom(in.readBytes());
                external = true;
                if (entry.getKey().equals("location")) {
                    location = entry.getValue();
                }
            } else {
                in.skipField(tag);
            }
        }
        return external ? "'" + name + "' (location '" + location + "')" : null;
    }

    /** Which messages of a field to descend into, and how; null for a field to skip. */
    private interface Fields {
        Reader of(int field);
    }

    private interface Reader {
        String read(CodedInputStream in) throws IOException;
    }

    /** Reads one message to its end, descending into the fields {@code fields} names; the first finding wins. */
    private String walk(CodedInputStream in, Fields fields) throws IOException {
        if (++depth > MAX_DEPTH) {
            throw new InvalidProtocolBufferException("the model nests messages deeper than " + MAX_DEPTH);
        }
        try {
            return fieldsOf(in, fields);
        } finally {
            depth--;
        }
    }

    private String fieldsOf(CodedInputStream in, Fields fields) throws IOException {
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                return null;
            }
            Reader reader = fields.of(WireFormat.getTagFieldNumber(tag));
            if (reader == null || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                in.skipField(tag);
                continue;
            }
            int limit = in.pushLimit(in.readRawVarint32());
            String found = reader.read(in);
            if (found != null) {
                return found;
            }
            in.skipRawBytes(in.getBytesUntilLimit());
            in.popLimit(limit);
        }
    }
}
