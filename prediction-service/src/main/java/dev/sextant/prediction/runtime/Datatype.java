package dev.sextant.prediction.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import java.util.Arrays;
import java.util.Optional;

/**
 * The Open Inference Protocol element types this service serves, each with the ONNX element type it is and the
 * Java array that holds its values: {@code boolean[]} for BOOL, {@code short[]} for UINT8, INT8 and INT16 (the
 * unsigned values of UINT8 are widened, so they read back as 0-255), {@code int[]}, {@code long[]},
 * {@code float[]} for FP16 and FP32, {@code double[]}, and {@code String[]} for BYTES.
 */
public enum Datatype {
    BOOL(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL, OnnxJavaType.BOOL),
    UINT8(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8, OnnxJavaType.UINT8),
    INT8(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8, OnnxJavaType.INT8),
    INT16(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16, OnnxJavaType.INT16),
    INT32(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32, OnnxJavaType.INT32),
    INT64(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64, OnnxJavaType.INT64),
    FP16(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, OnnxJavaType.FLOAT16),
    FP32(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, OnnxJavaType.FLOAT),
    FP64(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE, OnnxJavaType.DOUBLE),
    BYTES(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING, OnnxJavaType.STRING);

    private final OnnxTensorType onnxType;
    private final OnnxJavaType javaType;

    Datatype(OnnxTensorType onnxType, OnnxJavaType javaType) {
        this.onnxType = onnxType;
        this.javaType = javaType;
    }

    OnnxJavaType javaType() {
        return javaType;
    }

    static Optional<Datatype> of(OnnxTensorType type) {
        return Arrays.stream(values())
                .filter(datatype -> datatype.onnxType == type)
                .findFirst();
    }

    static Optional<Datatype> of(OnnxJavaType type) {
        return Arrays.stream(values())
                .filter(datatype -> datatype.javaType == type)
                .findFirst();
    }

    /** The datatype with this Open Inference Protocol name, if this service serves it. */
    public static Optional<Datatype> named(String name) {
        return Arrays.stream(values())
                .filter(datatype -> datatype.name().equals(name))
                .findFirst();
    }

    /** A new array of this type's values with {@code length} elements. */
    public Object newArray(int length) {
        return switch (this) {
            case BOOL -> new boolean[length];
            case UINT8, INT8, INT16 -> new short[length];
            case INT32 -> new int[length];
            case INT64 -> new long[length];
            case FP16, FP32 -> new float[length];
            case FP64 -> new double[length];
            case BYTES -> new String[length];
        };
    }
}
