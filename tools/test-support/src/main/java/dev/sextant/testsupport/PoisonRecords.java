package dev.sextant.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Records a consumer must survive, for the fuzz tests that feed them through the real consumer against a real
 * broker: values that are no JSON at all, and random mutations of a valid record (cut short, bytes flipped, values
 * swapped for huge, negative, fractional, far-future or wrongly typed ones, nested deeply). A mutation may still
 * be valid; what a consumer owes each one is to process it or dead-letter it, and to go on.
 */
public final class PoisonRecords {

    private static final String[] REPLACEMENTS = {
        "4294967296",
        "9223372036854775808",
        "-1",
        "1.5",
        "1e39",
        "1e400",
        "-0",
        "null",
        "true",
        "\"\"",
        "\"x\"",
        "[]",
        "{}",
        "\"+300000000-01-01T00:00:00Z\"",
        "\"9999-12-31T23:59:59Z\"",
        "\"-999999999-01-01T00:00:00Z\"",
        "\"\\u0000\"",
        "[[[[[[[[1]]]]]]]]",
    };

    private PoisonRecords() {}

    /**
     * The reasons ({@code sextant-error}) of dead-letter records by their source ({@code sextant-source},
     * {@code topic-partition@offset}), of those {@code consumer} ({@code sextant-consumer}) gave up on.
     */
    public static Map<String, String> reasonsBySource(List<ConsumerRecord<String, String>> dead, String consumer) {
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, String> record : dead) {
            if (consumer.equals(header(record, "sextant-consumer"))) {
                reasons.putIfAbsent(header(record, "sextant-source"), header(record, "sextant-error"));
            }
        }
        return reasons;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Values that are not a JSON object: nothing, text, other JSON, nesting past any parser's limit. */
    public static List<String> junk() {
        return List.of(
                "",
                "not json",
                "[1, 2]",
                "42",
                "\"a string\"",
                "{",
                "{\"unterminated\": \"",
                "[".repeat(100_000),
                "\u00ff\u00fe\u0000\u0001",
                "{}");
    }

    /** {@code count} random mutations of {@code valid}, the same for the same {@code random} seed. */
    public static List<String> mutations(String valid, Random random, int count) {
        List<String> mutated = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            mutated.add(mutate(valid, random));
        }
        return mutated;
    }

    private static String mutate(String valid, Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> valid.substring(0, random.nextInt(valid.length()));
            case 1 -> flip(valid, random);
            case 2, 3 -> replaceValue(valid, random);
            default -> replaceValue(replaceValue(valid, random), random);
        };
    }

    private static String flip(String valid, Random random) {
        char[] chars = valid.toCharArray();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
            chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
        }
        return new String(chars);
    }

    /** Swaps the value after a random {@code ":"} for one of the {@link #REPLACEMENTS}. */
    private static String replaceValue(String valid, Random random) {
        List<Integer> colons = new ArrayList<>();
        for (int i = valid.indexOf(':'); i >= 0; i = valid.indexOf(':', i + 1)) {
            colons.add(i);
        }
        if (colons.isEmpty()) {
            return valid;
        }
        int start = colons.get(random.nextInt(colons.size())) + 1;
        int end = endOfValue(valid, start);
        return valid.substring(0, start) + " " + REPLACEMENTS[random.nextInt(REPLACEMENTS.length)]
                + valid.substring(end);
    }

    /** Where the JSON value starting at {@code start} ends: its closing bracket, quote, or the next , } ]. */
    private static int endOfValue(String json, int start) {
        int i = start;
        while (i < json.length() && json.charAt(i) == ' ') {
            i++;
        }
        if (i >= json.length()) {
            return i;
        }
        char first = json.charAt(i);
        if (first == '"') {
            int close = i + 1;
            while (close < json.length() && (json.charAt(close) != '"' || json.charAt(close - 1) == '\\')) {
                close++;
            }
            return Math.min(json.length(), close + 1);
        }
        if (first == '[' || first == '{') {
            int depth = 0;
            boolean quoted = false;
            for (int j = i; j < json.length(); j++) {
                char c = json.charAt(j);
                if (c == '"' && json.charAt(j - 1) != '\\') {
                    quoted = !quoted;
                } else if (!quoted && (c == '[' || c == '{')) {
                    depth++;
                } else if (!quoted && (c == ']' || c == '}') && --depth == 0) {
                    return j + 1;
                }
            }
            return json.length();
        }
        int j = i;
        while (j < json.length() && ",}]".indexOf(json.charAt(j)) < 0) {
            j++;
        }
        return j;
    }
}
