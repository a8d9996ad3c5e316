package dev.sextant.prediction.api;

import dev.sextant.prediction.runtime.Datatype;
import tools.jackson.databind.JsonNode;

/** Reads the {@code data} of an input, flat or nested to any depth, into a typed array, element by element. */
final class JsonElements {

    private JsonElements() {}

    /** Fills {@code values} in row-major order; returns how many elements {@code data} holds. */
    static int fill(JsonNode data, Datatype datatype, Object values, String name) {
        if (data == null || data.isNull() || data.isMissingNode()) {
            throw InferenceError.badRequest(name + " has no data");
        }
        int capacity = java.lang.reflect.Array.getLength(values);
        return fill(data, datatype, values, capacity, 0, name);
    }

    private static int fill(JsonNode node, Datatype datatype, Object values, int capacity, int at, String name) {
        if (node.isArray()) {
            int next = at;
            for (JsonNode element : node) {
                next = fill(element, datatype, values, capacity, next, name);
            }
            return next;
        }
        if (at < capacity) {
            set(node, datatype, values, at, name);
        }
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
            case FP16, FP32 -> ((float[]) values)[at] = (float) number(node, name, at);
            case FP64 -> ((double[]) values)[at] = number(node, name, at);
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

    private static double number(JsonNode node, String name, int at) {
        if (!node.isNumber()) {
            throw element(name, at, node, "a number");
        }
        return node.doubleValue();
    }

    private static InferenceError element(String name, int at, JsonNode node, String expected) {
        return InferenceError.badRequest(name + " element " + at + " is " + node + "; expected " + expected);
    }
}
