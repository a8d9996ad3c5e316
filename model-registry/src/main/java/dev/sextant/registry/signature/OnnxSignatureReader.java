package dev.sextant.registry.signature;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import ai.onnxruntime.ValueInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Validates an ONNX file by loading it into ONNX Runtime (the runtime that will serve it) and reads its
 * signature. The session is created with graph optimizations off and closed at once: this is a check, not
 * serving.
 */
@Component
public class OnnxSignatureReader {

    private static final Map<OnnxTensorType, String> TENSOR_TYPES = new EnumMap<>(Map.ofEntries(
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL, "BOOL"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8, "UINT8"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16, "UINT16"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32, "UINT32"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64, "UINT64"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8, "INT8"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16, "INT16"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32, "INT32"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64, "INT64"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, "FP16"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16, "BF16"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, "FP32"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE, "FP64"),
            Map.entry(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING, "BYTES")));

    private static final Map<OnnxJavaType, String> JAVA_TYPES = new EnumMap<>(Map.ofEntries(
            Map.entry(OnnxJavaType.BOOL, "BOOL"),
            Map.entry(OnnxJavaType.UINT8, "UINT8"),
            Map.entry(OnnxJavaType.INT8, "INT8"),
            Map.entry(OnnxJavaType.INT16, "INT16"),
            Map.entry(OnnxJavaType.INT32, "INT32"),
            Map.entry(OnnxJavaType.INT64, "INT64"),
            Map.entry(OnnxJavaType.FLOAT16, "FP16"),
            Map.entry(OnnxJavaType.BFLOAT16, "BF16"),
            Map.entry(OnnxJavaType.FLOAT, "FP32"),
            Map.entry(OnnxJavaType.DOUBLE, "FP64"),
            Map.entry(OnnxJavaType.STRING, "BYTES")));

    private static final Pattern ERROR_CODE = Pattern.compile("^Error code - \\w+ - message: ");
    private static final Pattern LOAD_FAILURE = Pattern.compile(".*Load model from .* failed:(.*)");

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();

    public Signature read(Path onnxFile) throws InvalidModelException {
        refuseExternalData(onnxFile);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = environment.createSession(onnxFile.toString(), options)) {
                return new Signature(specs(session.getInputInfo()), specs(session.getOutputInfo()));
            }
        } catch (OrtException e) {
            throw new InvalidModelException(
                    "the file is not an ONNX model that ONNX Runtime can load: " + runtimeReason(e, onnxFile), e);
        }
    }

    private static void refuseExternalData(Path onnxFile) throws InvalidModelException {
        Optional<String> external;
        try {
            external = ExternalData.find(onnxFile);
        } catch (InvalidProtocolBufferException e) {
            return; // not an ONNX protobuf: ONNX Runtime's load names the problem
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the staged model", e);
        }
        if (external.isPresent()) {
            throw new InvalidModelException("tensor " + external.get() + " keeps its data in an external file;"
                    + " a model is registered as one file with every tensor inside it (in Python:"
                    + " onnx.save_model(model, path, save_as_external_data=False))");
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) throws InvalidModelException {
        List<TensorSpec> specs = new ArrayList<>(nodes.size());
        for (NodeInfo node : nodes.values()) {
            specs.add(spec(node.getName(), node.getInfo()));
        }
        return specs;
    }

    private static TensorSpec spec(String name, ValueInfo info) throws InvalidModelException {
        if (info instanceof TensorInfo tensor) {
            return TensorSpec.tensor(name, datatype(TENSOR_TYPES, name, tensor.onnxType), shape(tensor.getShape()));
        }
        if (info instanceof SequenceInfo sequence) {
            if (sequence.sequenceOfMaps) {
                MapInfo map = sequence.mapInfo;
                return new TensorSpec(
                        name,
                        TensorSpec.SEQUENCE_OF_MAPS,
                        datatype(JAVA_TYPES, name, map.valueType),
                        List.of(-1L),
                        datatype(JAVA_TYPES, name, map.keyType));
            }
            return new TensorSpec(
                    name, TensorSpec.SEQUENCE, datatype(JAVA_TYPES, name, sequence.sequenceType), List.of(-1L), null);
        }
        if (info instanceof MapInfo map) {
            return new TensorSpec(
                    name,
                    TensorSpec.MAP,
                    datatype(JAVA_TYPES, name, map.valueType),
                    null,
                    datatype(JAVA_TYPES, name, map.keyType));
        }
        throw new InvalidModelException("'" + name + "' has a value type that cannot be served: " + info);
    }

    private static <T> String datatype(Map<T, String> datatypes, String name, T type) throws InvalidModelException {
        String datatype = datatypes.get(type);
        if (datatype == null) {
            throw new InvalidModelException(
                    "'" + name + "' has element type " + type + ", which the Open Inference Protocol cannot carry");
        }
        return datatype;
    }

    private static List<Long> shape(long[] dims) {
        return Arrays.stream(dims).map(dim -> dim < 0 ? -1 : dim).boxed().toList();
    }

    /** ONNX Runtime's reason, without its error-code prefix and without the server's file path. */
    static String runtimeReason(OrtException e, Path onnxFile) {
        String message = e.getMessage() == null ? "unknown error" : e.getMessage();
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        Matcher load = LOAD_FAILURE.matcher(line);
        if (load.matches()) {
            line = load.group(1);
        }
        line = ERROR_CODE.matcher(line).replaceFirst("");
        return line.replace(onnxFile.toString(), "the upload").strip();
    }
}
