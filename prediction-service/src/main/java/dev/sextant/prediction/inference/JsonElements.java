package dev.sextant.prediction.inference;

import dev.sextant.prediction.api.InferenceError;
import dev.sextant.prediction.runtime.Datatype;
import tools.jackson.databind.JsonNode;

/** Reads the {@code data} of an input, flat or nested to any depth, into a typed array, element by element. */
final class JsonElements {

    /** Half precision's largest finite value is 65504; from halfway to the next step (65520) it rounds to infinity. */
    private static final double FP16_OVERFLOW = 65520;

    /** Float.MAX_VALUE plus half a step (2^103): the smallest magnitude that rounds to a float's infinity. */
    private static final double FP32_OVERFLOW = Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0;

    private JsonElements() {}

    /** How many elements {@code data} holds, flat or nested, without reading them. */
    static long count(JsonNode data, String name) {
        if (data == null || data.isNull() || data.isMissingNode()) {
            throw InferenceError.badRequest(name + " has no data");
        }
        if (!data.isArray()) {
            return 1;
        }
        long count = 0;
        for (JsonNode element : data) {
            count += element.isArray() ? count(element, name) : 1;
        }
        return count;
    }

    /** Fills {@code values} in row-major order with the elements of {@code data}, which {@link #count} counted. */
    static void fill(JsonNode data, Datatype datatype, Object values, String name) {
        fill(data, datatype, values, 0, name);
    }

    private static int fill(JsonNode node, Datatype datatype, Object values, int at, String name) {
        if (node.isArray()) {
            int next = at;
            for (JsonNode element : node) {
                next = fill(element, datatype, values, next, name);
            }
            return next;
        }
        set(node, datatype, values, at, name);
        return at + 1;
    }

    private static void set(JsonNode node, Datatype datatype, Object values, int at, String name) {
        switch (datatype) {
            case BOOL -> {
                if (!node.isBoolean()) {
                    throw element(name, at, node, "true or false");
                }
                ((boolean[]) values)[at] = node.booleanValue();
            }
            case UINT8 -> ((short[]) values)[at] = (short) integer(node, 0, 255, name, at);
            case UINT16 -> ((int[]) values)[at] = (int) integer(node, 0, 65_535, name, at);
            case UINT32 -> ((long[]) values)[at] = integer(node, 0, 4_294_967_295L, name, at);
            case UINT64 -> ((long[]) values)[at] = unsigned64(node, name, at);
            case INT8 -> ((short[]) values)[at] = (short) integer(node, Byte.MIN_VALUE, Byte.MAX_VALUE, name, at);
            case INT16 -> ((short[]) values)[at] = (short) integer(node, Short.MIN_VALUE, Short.MAX_VALUE, name, at);
            case INT32 -> ((int[]) values)[at] = (int) integer(node, Integer.MIN_VALUE, Integer.MAX_VALUE, name, at);
            case INT64 -> ((long[]) values)[at] = integer(node, Long.MIN_VALUE, Long.MAX_VALUE, name, at);
            case FP16 -> ((float[]) values)[at] = (float) number(node, FP16_OVERFLOW, "FP16 (±65504)", name, at);
            case FP32 -> ((float[]) values)[at] = (float) number(node, FP32_OVERFLOW, "FP32 (±3.4028235E38)", name, at);
            case FP64 ->
                ((double[]) values)[at] =
                        number(node, Double.POSITIVE_INFINITY, "FP64 (±1.7976931348623157E308)", name, at);
            case BYTES -> {
                if (!node.isString()) {
                    throw element(name, at, node, "a string");
                }
                ((String[]) values)[at] = node.stringValue();
            }
        }
    }

    private static long integer(JsonNode node, long min, long max, String name, int at) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw element(name, at, node, "an integer in [" + min + ", " + max + "]");
        }
        long value = node.longValue();
        if (value < min || value > max) {
            throw element(name, at, node, "an integer in [" + min + ", " + max + "]");
        }
        return value;
    }

    /** An integer in [0, 2^64 - 1], held as the long with the same bits. */
    private static long unsigned64(JsonNode node, String name, int at) {
        if (node.isIntegralNumber()) {
            java.math.BigInteger value = node.bigIntegerValue();
            if (value.signum() >= 0 && value.bitLength() <= 64) {
                return value.longValue();
            }
        }
        throw element(name, at, node, "an integer in [0, 18446744073709551615]");
    }

    /**
     * A number that rounds to a finite value of the datatype: {@code 1e39} as FP32 would silently be Infinity.
     *
     * @param overflow the smallest magnitude that rounds to infinity
     */
    private static double number(JsonNode node, double overflow, String range, String name, int at) {
        if (!node.isNumber()) {
            throw element(name, at, node, "a number");
        }
        double value = node.doubleValue();
        if (!(Math.abs(value) < overflow)) {
            throw element(name, at, node, "a number in the range of " + range);
        }
        return value;
    }

    private static InferenceError element(String name, int at, JsonNode node, String expected) {
        return InferenceError.badRequest(name + " element " + at + " is " + node + "; expected " + expected);
    }
}
