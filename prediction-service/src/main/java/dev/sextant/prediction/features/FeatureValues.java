package dev.sextant.prediction.features;

import dev.sextant.features.client.definition.ValueType;
import dev.sextant.prediction.runtime.Datatype;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Feature values (Long, Double, Boolean or String, as the feature store and JSON give them) written into input
 * tensors. Integers and booleans (as 0 and 1) go into numeric inputs, decimals into floating-point inputs only,
 * booleans into BOOL inputs, text into BYTES inputs only; nothing is rounded or truncated silently.
 */
final class FeatureValues {

    private FeatureValues() {}

    /** Whether every value of a feature of this type fits an input of this datatype. */
    static boolean fits(ValueType type, Datatype datatype) {
        return switch (type) {
            case STRING -> datatype == Datatype.BYTES;
            case BOOL -> datatype != Datatype.BYTES;
            case INT64 -> datatype != Datatype.BYTES && datatype != Datatype.BOOL;
            case FLOAT64 -> floating(datatype);
        };
    }

    /**
     * A request's JSON value as a feature value: integers as Long, other numbers as Double, booleans, text.
     *
     * @throws IllegalArgumentException for anything else (an object, an array, an integer beyond 64 bits)
     */
    static Object fromJson(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() < 64) {
                return big.longValue();
            }
            throw new IllegalArgumentException(value + " is beyond a 64-bit integer");
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Boolean || value instanceof String) {
            return value;
        }
        throw new IllegalArgumentException("expected a number, text or boolean, got "
                + (value instanceof java.util.Map
                        ? "an object"
                        : value instanceof java.util.List ? "an array" : value));
    }

    /**
     * Checks that a value can be written into an input of this datatype.
     *
     * @throws IllegalArgumentException saying why not
     */
    static void check(Object value, Datatype datatype) {
        set(datatype.newArray(1), 0, value, datatype);
    }

    /**
     * Writes a value into element {@code index} of an input's values (the array {@link Datatype#newArray} makes).
     *
     * @throws IllegalArgumentException when the value does not fit the datatype, saying why
     */
    static void set(Object values, int index, Object value, Datatype datatype) {
        switch (datatype) {
            case BOOL -> {
                if (!(value instanceof Boolean bool)) {
                    throw new IllegalArgumentException("a BOOL input takes true or false, not " + describe(value));
                }
                ((boolean[]) values)[index] = bool;
            }
            case BYTES -> {
                if (!(value instanceof String text)) {
                    throw new IllegalArgumentException("a BYTES input takes text, not " + describe(value));
                }
                ((String[]) values)[index] = text;
            }
            case FP16, FP32 -> ((float[]) values)[index] = (float) decimal(value, datatype);
            case FP64 -> ((double[]) values)[index] = decimal(value, datatype);
            case UINT8 -> ((short[]) values)[index] = (short) integer(value, datatype, 0, 255);
            case UINT16 -> ((int[]) values)[index] = (int) integer(value, datatype, 0, 65_535);
            case UINT32 -> ((long[]) values)[index] = integer(value, datatype, 0, 4_294_967_295L);
            case UINT64 -> ((long[]) values)[index] = integer(value, datatype, 0, Long.MAX_VALUE);
            case INT8 -> ((short[]) values)[index] = (short) integer(value, datatype, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16 ->
                ((short[]) values)[index] = (short) integer(value, datatype, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT32 ->
                ((int[]) values)[index] = (int) integer(value, datatype, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64 -> ((long[]) values)[index] = integer(value, datatype, Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }

    private static boolean floating(Datatype datatype) {
        return datatype == Datatype.FP16 || datatype == Datatype.FP32 || datatype == Datatype.FP64;
    }

    private static double decimal(Object value, Datatype datatype) {
        if (value instanceof Boolean bool) {
            return bool ? 1 : 0;
        }
        if (value instanceof Long || value instanceof Double) {
            return ((Number) value).doubleValue();
        }
        throw new IllegalArgumentException("a " + datatype + " input takes a number, not " + describe(value));
    }

    private static long integer(Object value, Datatype datatype, long min, long max) {
        long integer;
        if (value instanceof Boolean bool) {
            integer = bool ? 1 : 0;
        } else if (value instanceof Long number) {
            integer = number;
        } else {
            throw new IllegalArgumentException("a " + datatype + " input takes an integer, not " + describe(value));
        }
        if (integer < min || integer > max) {
            throw new IllegalArgumentException(integer + " is out of range for a " + datatype + " input");
        }
        return integer;
    }

    private static String describe(Object value) {
        return value instanceof String text ? "text '" + text + "'" : String.valueOf(value);
    }
}
