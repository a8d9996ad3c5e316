package dev.sextant.gateway.requests;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent} (version 00): the caller's when it is well formed, else a new trace that
 * the gateway starts (sampled). Only parsing and generating are needed here, as the gateway records no spans of
 * its own: it passes the caller's context on unchanged.
 */
record TraceContext(String traceparent, boolean started) {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    static TraceContext of(String header) {
        if (header != null) {
            var match = TRACEPARENT.matcher(header.trim());
            if (match.matches() && !ZERO_TRACE.equals(match.group(1)) && !ZERO_SPAN.equals(match.group(2))) {
                return new TraceContext(header.trim(), false);
            }
        }
        return new TraceContext("00-" + randomHex(16) + "-" + randomHex(8) + "-01", true);
    }

    String traceId() {
        return traceparent.substring(3, 35);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        do {
            ThreadLocalRandom.current().nextBytes(random);
        } while (allZero(random));
        return HexFormat.of().formatHex(random);
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
