package dev.sextant.registry.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sextant.testsupport.OnnxModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnnxSignatureReaderTest {

    private final OnnxSignatureReader reader = new OnnxSignatureReader();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "BOOL, BOOL",
        "UINT8, UINT8",
        "UINT16, UINT16",
        "UINT32, UINT32",
        "UINT64, UINT64",
        "INT8, INT8",
        "INT16, INT16",
        "INT32, INT32",
        "INT64, INT64",
        "FLOAT16, FP16",
        "BFLOAT16, BF16",
        "FLOAT, FP32",
        "DOUBLE, FP64",
        "STRING, BYTES"
    })
    void mapsEveryOnnxTensorTypeToItsOpenInferenceProtocolName(DataType onnxType, String datatype) throws Exception {
        Signature signature = reader.read(write(OnnxModels.identity(onnxType, -1, 4)));

        assertThat(signature.inputs())
                .containsExactly(new TensorSpec("input", "tensor", datatype, List.of(-1L, 4L), null));
        assertThat(signature.outputs())
                .containsExactly(new TensorSpec("output", "tensor", datatype, List.of(-1L, 4L), null));
    }

    @Test
    void describesAnOnnxMlSequenceOfMapsOutputWithKeyAndValueTypes() throws Exception {
        Signature signature = reader.read(write(OnnxModels.zipMap(0, 1)));

        assertThat(signature.inputs())
                .containsExactly(new TensorSpec("scores", "tensor", "FP32", List.of(-1L, 2L), null));
        assertThat(signature.outputs())
                .containsExactly(new TensorSpec("probabilities", "sequence_of_maps", "FP32", List.of(-1L), "INT64"));
    }

    @Test
    void keepsInputAndOutputOrderAndFixedDimensions() throws Exception {
        Signature signature = reader.read(write(OnnxModels.logisticRegression(new float[] {1, 2, 3, 4, 5}, 0)));

        assertThat(signature.inputs()).extracting(TensorSpec::name).containsExactly("features");
        assertThat(signature.inputs().get(0).shape()).containsExactly(-1L, 5L);
        assertThat(signature.outputs().get(0).shape()).containsExactly(-1L, 1L);
    }

    @Test
    void rejectsBytesThatAreNotAnOnnxModelWithAClearMessage() throws IOException {
        Path file = write("name,amount\ncard-1,12.5\n".getBytes());

        assertThatThrownBy(() -> reader.read(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("the file is not an ONNX model that ONNX Runtime can load: Protobuf parsing failed.")
                .hasMessageNotContaining(dir.toString());
    }

    @Test
    void rejectsAModelWhoseGraphIsInvalid() throws IOException {
        byte[] model = dev.sextant.testsupport.OnnxModelBuilder.graph("broken")
                .input("x", DataType.FLOAT, -1, 2)
                .node("NoSuchOperator", List.of("x"), List.of("y"))
                .output("y", DataType.FLOAT, -1, 2)
                .build();

        Path file = write(model);
        assertThatThrownBy(() -> reader.read(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("NoSuchOperator")
                .hasMessageNotContaining(dir.toString())
                .hasMessageNotContaining("Error code");
    }

    @Test
    void rejectsAModelWhoseWeightsAreInAnExternalFileEvenWhenTheFileIsThere() throws IOException {
        ModelProto model = ModelProto.parseFrom(OnnxModels.logisticRegression(new float[] {1, 2, 3}, 0));
        GraphProto.Builder graph = model.getGraph().toBuilder();
        TensorProto weights = graph.getInitializer(0);
        ByteBuffer data = ByteBuffer.allocate(4 * weights.getFloatDataCount()).order(ByteOrder.LITTLE_ENDIAN);
        weights.getFloatDataList().forEach(data::putFloat);
        // ONNX Runtime reads it from beside the model (the registry's staging directory) and loaded the model.
        Files.write(dir.resolve("weights.bin"), data.array());
        graph.setInitializer(0, external(weights.toBuilder().clearFloatData(), "weights.bin"));
        Path file = write(model.toBuilder().setGraph(graph).build().toByteArray());

        assertThatThrownBy(() -> reader.read(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("tensor 'weights' (location 'weights.bin') keeps its data in an external file");
    }

    @Test
    void findsExternalDataInANodesAttributeToo() throws IOException {
        ModelProto model = ModelProto.parseFrom(OnnxModels.logisticRegression(new float[] {1, 2, 3}, 0));
        TensorProto.Builder value =
                TensorProto.newBuilder().setName("offset").setDataType(TensorProto.DataType.FLOAT_VALUE);
        NodeProto constant = NodeProto.newBuilder()
                .setOpType("Constant")
                .addOutput("unused")
                .addAttribute(AttributeProto.newBuilder()
                        .setName("value")
                        .setType(AttributeProto.AttributeType.TENSOR)
                        .setT(external(value, "/etc/hostname")))
                .build();
        Path file = write(model.toBuilder()
                .setGraph(model.getGraph().toBuilder().addNode(0, constant))
                .build()
                .toByteArray());

        assertThatThrownBy(() -> reader.read(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith(
                        "tensor 'offset' (location '/etc/hostname') keeps its data in an external file");
    }

    @Test
    void refusesAModelNestedDeeperThanItWalks() throws IOException {
        // Written field by field: protobuf's own serialisation recurses per level and overflows the stack first.
        byte[] graph = new byte[0];
        for (int level = 0; level < 1_000; level++) {
            byte[] attribute = field(AttributeProto.G_FIELD_NUMBER, graph);
            byte[] node = field(NodeProto.ATTRIBUTE_FIELD_NUMBER, attribute);
            graph = field(GraphProto.NODE_FIELD_NUMBER, node);
        }
        Path file = write(field(ModelProto.GRAPH_FIELD_NUMBER, graph));

        assertThatThrownBy(() -> ExternalData.find(file))
                .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class)
                .hasMessageContaining("deeper than " + ExternalData.MAX_DEPTH);
        assertThatThrownBy(() -> reader.read(file)).isInstanceOf(InvalidModelException.class);
    }

    /** A length-delimited field holding {@code content}, in protobuf's wire format. */
    private static byte[] field(int number, byte[] content) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(content.length + 8);
        com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes);
        out.writeByteArray(number, content);
        out.flush();
        return bytes.toByteArray();
    }

    private static TensorProto external(TensorProto.Builder tensor, String location) {
        return tensor.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(
                        StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .build();
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(dir, "model", ".onnx"), bytes);
    }
}
