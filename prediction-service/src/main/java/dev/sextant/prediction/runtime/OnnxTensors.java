package dev.sextant.prediction.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Conversions between {@link Tensor} and ONNX Runtime's values. */
final class OnnxTensors {

    private static final Pattern ERROR_CODE = Pattern.compile("^Error code - \\w+ - message: ");

    private OnnxTensors() {}

    static OnnxTensor create(OrtEnvironment environment, Tensor tensor) throws OrtException {
        long[] shape = tensor.shape();
        return switch (tensor.datatype()) {
            case BOOL -> {
                boolean[] values = (boolean[]) tensor.values();
                ByteBuffer bytes = ByteBuffer.allocate(values.length);
                for (boolean value : values) {
                    bytes.put((byte) (value ? 1 : 0));
                }
                yield OnnxTensor.createTensor(environment, bytes.flip(), shape, OnnxJavaType.BOOL);
            }
            case UINT8, INT8 -> {
                short[] values = (short[]) tensor.values();
                ByteBuffer bytes = ByteBuffer.allocate(values.length);
                for (short value : values) {
                    bytes.put((byte) value);
                }
                yield OnnxTensor.createTensor(
                        environment, bytes.flip(), shape, tensor.datatype().javaType());
            }
            case INT16 -> OnnxTensor.createTensor(environment, ShortBuffer.wrap((short[]) tensor.values()), shape);
            case INT32, UINT16 -> OnnxTensor.createTensor(environment, IntBuffer.wrap((int[]) tensor.values()), shape);
            case INT64, UINT32, UINT64 ->
                OnnxTensor.createTensor(environment, LongBuffer.wrap((long[]) tensor.values()), shape);
            case FP16 ->
                OnnxTensor.createTensor(
                        environment,
                        Fp16Conversions.convertFloatBufferToFp16Buffer(FloatBuffer.wrap((float[]) tensor.values())),
                        shape,
                        OnnxJavaType.FLOAT16);
            case FP32 -> OnnxTensor.createTensor(environment, FloatBuffer.wrap((float[]) tensor.values()), shape);
            case FP64 -> OnnxTensor.createTensor(environment, DoubleBuffer.wrap((double[]) tensor.values()), shape);
            case BYTES -> OnnxTensor.createTensor(environment, (String[]) tensor.values(), shape);
        };
    }

    /** @param served the unsigned datatype of an output widened to a signed one (UnsignedWidening), else null */
    static Tensor read(String name, OnnxTensor tensor, Datatype served) throws OrtException, ModelRunException {
        Datatype datatype = served != null
                ? served
                : Datatype.of(tensor.getInfo().type)
                        .orElseThrow(() -> new ModelRunException(
                                "output '" + name + "' has element type " + tensor.getInfo().type
                                        + ", which cannot be served",
                                null));
        long[] shape = tensor.getInfo().getShape();
        int count = Math.toIntExact(tensor.getInfo().getNumElements());
        Object values = datatype.newArray(count);
        switch (datatype) {
            case BOOL -> {
                ByteBuffer bytes = tensor.getByteBuffer();
                boolean[] out = (boolean[]) values;
                for (int i = 0; i < count; i++) {
                    out[i] = bytes.get(i) != 0;
                }
            }
            case UINT8, INT8 -> {
                ByteBuffer bytes = tensor.getByteBuffer();
                short[] out = (short[]) values;
                for (int i = 0; i < count; i++) {
                    out[i] = datatype == Datatype.UINT8 ? (short) (bytes.get(i) & 0xFF) : bytes.get(i);
                }
            }
            case INT16 -> tensor.getShortBuffer().get((short[]) values);
            case INT32, UINT16 -> tensor.getIntBuffer().get((int[]) values);
            case INT64, UINT32, UINT64 -> tensor.getLongBuffer().get((long[]) values);
            case FP16 -> {
                ShortBuffer bits = tensor.getShortBuffer();
                float[] out = (float[]) values;
                for (int i = 0; i < count; i++) {
                    out[i] = Fp16Conversions.fp16ToFloat(bits.get(i));
                }
            }
            case FP32 -> tensor.getFloatBuffer().get((float[]) values);
            case FP64 -> tensor.getDoubleBuffer().get((double[]) values);
            case BYTES -> flatten(tensor.getValue(), (String[]) values, 0);
        }
        return new Tensor(name, datatype, shape, values);
    }

    /**
     * A sequence of maps (one per row, e.g. class label to probability) as a [rows, labels] tensor of the map
     * values, with the labels in their natural order (numeric labels by value).
     */
    static Tensor readSequenceOfMaps(String name, OnnxSequence sequence) throws OrtException, ModelRunException {
        List<? extends OnnxValue> rows = sequence.getValue();
        List<Object> keys = new ArrayList<>();
        List<Map<? extends Object, ? extends Object>> maps = new ArrayList<>();
        for (OnnxValue row : rows) {
            if (!(row instanceof OnnxMap map)) {
                throw new ModelRunException("output '" + name + "' is a sequence of " + row.getType(), null);
            }
            maps.add(map.getValue());
        }
        if (!maps.isEmpty()) {
            keys.addAll(maps.get(0).keySet());
            keys.sort(Comparator.comparing(key -> (Comparable) key));
        }
        Datatype datatype = maps.isEmpty() || !(maps.get(0).values().iterator().next() instanceof Double)
                ? Datatype.FP32
                : Datatype.FP64;
        Object values = datatype.newArray(maps.size() * keys.size());
        for (int row = 0; row < maps.size(); row++) {
            for (int k = 0; k < keys.size(); k++) {
                Object value = maps.get(row).get(keys.get(k));
                if (values instanceof float[] floats) {
                    floats[row * keys.size() + k] = ((Number) value).floatValue();
                } else {
                    ((double[]) values)[row * keys.size() + k] = ((Number) value).doubleValue();
                }
            }
        }
        return new Tensor(
                name,
                datatype,
                new long[] {maps.size(), keys.size()},
                values,
                keys.stream().map(String::valueOf).toList());
    }

    private static int flatten(Object nested, String[] out, int at) {
        if (nested instanceof String text) {
            out[at] = text;
            return at + 1;
        }
        int next = at;
        for (int i = 0; i < Array.getLength(nested); i++) {
            next = flatten(Array.get(nested, i), out, next);
        }
        return next;
    }

    /** ONNX Runtime's message without its error-code prefix, first line only. */
    static String reason(OrtException e) {
        String message = e.getMessage() == null ? "unknown error" : e.getMessage();
        int newline = message.indexOf('\n');
        return ERROR_CODE
                .matcher(newline < 0 ? message : message.substring(0, newline))
                .replaceFirst("")
                .strip();
    }
}
