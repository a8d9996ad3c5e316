package dev.sextant.prediction.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import java.util.Arrays;
import java.util.Optional;

/**
 * The Open Inference Protocol element types this service serves, each with the ONNX element type it is and the
 * Java array that holds its values: {@code boolean[]} for BOOL, {@code short[]} for UINT8, INT8 and INT16 (the
 * unsigned values of UINT8 are widened, so they read back as 0-255), {@code int[]}, {@code long[]},
 * {@code float[]} for FP16 and FP32, {@code double[]}, and {@code String[]} for BYTES; {@code int[]} for UINT16 and
 * {@code long[]} for UINT32 and UINT64 (UINT64 values above 2^63 - 1 as the negative longs with the same bits).
 */
public enum Datatype {
    BOOL(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL, OnnxJavaType.BOOL),
    UINT8(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8, OnnxJavaType.UINT8),
    // no Java tensors of these: models are served through a graph with wider signed ends (UnsignedWidening)
    UINT16(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16, OnnxJavaType.INT32),
    UINT32(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32, OnnxJavaType.INT64),
    UINT64(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64, OnnxJavaType.INT64),
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

    /** The datatype ONNX Runtime's Java API reads as this Java type (never the widened unsigned ones). */
    static Optional<Datatype> of(OnnxJavaType type) {
        return Arrays.stream(values())
                .filter(datatype -> datatype.javaType == type && !datatype.widened())
                .findFirst();
    }

    /** Whether ONNX Runtime's Java API exchanges this type as a wider signed one (see UnsignedWidening). */
    boolean widened() {
        return this == UINT16 || this == UINT32 || this == UINT64;
    }

    /** The datatype with this Open Inference Protocol name, if this service serves it. */
    public static Optional<Datatype> named(String name) {
        return Arrays.stream(values())
                .filter(datatype -> datatype.name().equals(name))
                .findFirst();
    }

    /**
     * The values as JSON should write them: as they are, except UINT64, whose values above 2^63 - 1 are held as
     * the negative longs with the same bits and are written as the unsigned numbers they are.
     */
    public Object jsonValues(Object values) {
        if (this != UINT64) {
            return values;
        }
        long[] bits = (long[]) values;
        Object[] numbers = new Object[bits.length];
        for (int i = 0; i < bits.length; i++) {
            numbers[i] = bits[i] >= 0 ? (Object) bits[i] : new java.math.BigInteger(Long.toUnsignedString(bits[i]));
        }
        return numbers;
    }

    /** A new array of this type's values with {@code length} elements. */
    public Object newArray(int length) {
        return switch (this) {
            case BOOL -> new boolean[length];
            case UINT8, INT8, INT16 -> new short[length];
            case INT32, UINT16 -> new int[length];
            case INT64, UINT32, UINT64 -> new long[length];
            case FP16, FP32 -> new float[length];
            case FP64 -> new double[length];
            case BYTES -> new String[length];
        };
    }
}
