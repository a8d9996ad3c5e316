package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.ValueType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The online store's Redis layout: the one implementation, used by every writer and reader.
 *
 * <ul>
 *   <li><b>Key</b>: one hash per feature view and entity, {@code sx:fv:<view>:<key>}, where {@code <key>} is
 *       the view's join key values in definition order joined by ':' (a ':' or '%' inside a value is
 *       percent-encoded; INT64 keys are decimal). Example: {@code sx:fv:card_stats:card-42}.
 *   <li><b>Fields</b>: {@code _ts}, the row's event time in epoch milliseconds; one field per feature whose
 *       value is a type tag and a payload: {@code i<decimal>} INT64, {@code x<hex>} FLOAT64 (the IEEE-754 bits
 *       in hexadecimal: exact, and parsed several times faster than a decimal), {@code b1} / {@code b0} BOOL,
 *       {@code s<text>} STRING, {@code n} null.
 *   <li><b>Writes</b> go through {@link #WRITE_SCRIPT}: each row is written only if its event time is not
 *       older than the stored one (an older event never overwrites a newer one), atomically; one call carries
 *       several rows.
 *   <li><b>Expiry</b>: a view with a TTL gets {@code PEXPIREAT event_time + ttl + grace}; readers enforce the
 *       TTL themselves ({@code OUTSIDE_MAX_AGE}), the grace only delays reclaiming memory, so a stale value is
 *       reported as stale rather than as never seen.
 * </ul>
 */
public final class RedisLayout {

    public static final String TIMESTAMP_FIELD = "_ts";

    /**
     * Writes rows: KEYS[i] the i-th row's key; ARGV, row after row, {@link #writeArguments}: event time (ms),
     * expire-at (ms, 0 for none), the number n of features, then n field/value pairs. Returns how many rows were
     * written; the others were older than the stored ones. Several rows per call: the per-call cost of a script
     * (argument tables, the call itself) was about a third of a one-row write.
     */
    public static final String WRITE_SCRIPT =
            """
            local written = 0
            local a = 1
            for _, key in ipairs(KEYS) do
              local fields = tonumber(ARGV[a + 2])
              local stored = redis.call('HGET', key, '_ts')
              if not stored or tonumber(stored) <= tonumber(ARGV[a]) then
                redis.call('HSET', key, '_ts', ARGV[a], unpack(ARGV, a + 3, a + 2 + 2 * fields))
                if tonumber(ARGV[a + 1]) > 0 then
                  redis.call('PEXPIREAT', key, ARGV[a + 1])
                end
                written = written + 1
              end
              a = a + 3 + 2 * fields
            end
            return written
            """;

    /** The SHA-1 of {@link #WRITE_SCRIPT}, for {@code EVALSHA}: the script is not sent with every write. */
    public static final String WRITE_SCRIPT_SHA1 = sha1(WRITE_SCRIPT);

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private RedisLayout() {}

    private static String sha1(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-1")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    /** The hash key of one entity's row of a view; {@code keyValues} in the order of the view's join keys. */
    public static String key(FeatureView view, List<Object> keyValues) {
        List<JoinKey> joinKeys = view.joinKeys();
        StringBuilder key = new StringBuilder(keyPrefix(view));
        for (int i = 0; i < joinKeys.size(); i++) {
            if (i > 0) {
                key.append(':');
            }
            key.append(encodeKeyPart(keyValues.get(i)));
        }
        return key.toString();
    }

    /** What every key of a view starts with: {@code sx:fv:<view>:}. */
    public static String keyPrefix(FeatureView view) {
        return "sx:fv:" + view.name() + ':';
    }

    /** The join key values of a key made by {@link #key}, in the order of the view's join keys. */
    public static List<Object> keyValues(FeatureView view, String key) {
        String prefix = keyPrefix(view);
        if (!key.startsWith(prefix)) {
            throw new IllegalArgumentException("'" + key + "' is not a key of view " + view.name());
        }
        String[] parts = key.substring(prefix.length()).split(":", -1);
        List<JoinKey> joinKeys = view.joinKeys();
        if (parts.length != joinKeys.size()) {
            throw new IllegalArgumentException("'" + key + "' does not hold " + joinKeys.size() + " join key values");
        }
        List<Object> values = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            String text = parts[i].replace("%3A", ":").replace("%25", "%");
            values.add(joinKeys.get(i).type() == ValueType.INT64 ? (Object) Long.parseLong(text) : text);
        }
        return values;
    }

    /**
     * The arguments of {@link #WRITE_SCRIPT} for one row, as the bytes sent. Bytes, not strings: they go to Redis
     * as they are, with no per-argument charset encoding (which cost the streaming writers more than computing
     * the rows).
     */
    public static List<byte[]> writeArguments(FeatureRow row, Duration expiryGrace) {
        FeatureView view = row.view();
        List<Feature> features = view.features();
        List<byte[]> arguments = new ArrayList<>(3 + 2 * features.size());
        long eventMs = row.eventMs();
        arguments.add(ascii(Long.toString(eventMs)));
        arguments.add(ascii(Long.toString(
                view.hasTtl() ? eventMs + view.ttl().plus(expiryGrace).toMillis() : 0)));
        arguments.add(ascii(Integer.toString(features.size())));
        for (int f = 0; f < features.size(); f++) {
            Feature feature = features.get(f);
            arguments.add(feature.name().getBytes(StandardCharsets.UTF_8));
            arguments.add(encodeBytes(feature.type(), row.value(f)));
        }
        return arguments;
    }

    /** A typed value as stored; {@code value} must already have the feature's Java type. */
    public static String encode(ValueType type, Object value) {
        return new String(encodeBytes(type, value), StandardCharsets.UTF_8);
    }

    /** {@link #encode} as the UTF-8 bytes written to Redis. */
    public static byte[] encodeBytes(ValueType type, Object value) {
        if (value == null) {
            return new byte[] {'n'};
        }
        return switch (type) {
            case INT64 -> ascii("i" + ((Number) value).longValue());
            case FLOAT64 -> hex('x', Double.doubleToRawLongBits(((Number) value).doubleValue()));
            case BOOL -> (Boolean) value ? new byte[] {'b', '1'} : new byte[] {'b', '0'};
            case STRING -> ("s" + value).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code tag} and the lower-case hexadecimal digits of {@code bits}, as {@link Long#toHexString(long)}. */
    private static byte[] hex(char tag, long bits) {
        int digits = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(bits) + 3) / 4);
        byte[] bytes = new byte[1 + digits];
        bytes[0] = (byte) tag;
        for (int i = digits; i >= 1; i--) {
            bytes[i] = (byte) HEX_DIGITS[(int) (bits & 0xF)];
            bits >>>= 4;
        }
        return bytes;
    }

    /** A stored value back as Long, Double, Boolean, String or null. */
    public static Object decode(ValueType type, String stored) {
        char tag = stored.charAt(0);
        if (tag == 'n') {
            return null;
        }
        String payload = stored.substring(1);
        Object value =
                switch (tag) {
                    case 'i' -> Long.parseLong(payload);
                    case 'x' -> Double.longBitsToDouble(Long.parseUnsignedLong(payload, 16));
                    case 'b' -> "1".equals(payload);
                    case 's' -> payload;
                    default -> throw new IllegalStateException("unknown value tag '" + tag + "' in '" + stored + "'");
                };
        if (type == ValueType.FLOAT64 && value instanceof Long number) {
            return number.doubleValue();
        }
        return value;
    }

    private static String encodeKeyPart(Object value) {
        String text = value.toString();
        if (text.indexOf(':') < 0 && text.indexOf('%') < 0) {
            return text;
        }
        return text.replace("%", "%25").replace(":", "%3A");
    }
}
