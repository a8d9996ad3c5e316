package dev.sextant.prediction.api;

import java.util.UUID;

/**
 * The id a request is answered and logged under: the client's, when it is 1-128 printable ASCII characters (the
 * gateway's own request ids are at most 128), else a 400 naming it; a new UUID when the client sends none. The id
 * lands in every prediction log, so an unbounded one would be a client's way to grow every log record.
 */
public final class RequestIds {

    static final int MAX_LENGTH = 128;

    private RequestIds() {}

    static String of(String offered) {
        if (offered == null) {
            return UUID.randomUUID().toString();
        }
        if (offered.isEmpty() || offered.length() > MAX_LENGTH || !printableAscii(offered)) {
            String shown = offered.length() > 40 ? offered.substring(0, 40) + "..." : offered;
            throw InferenceError.badRequest("id must be 1-" + MAX_LENGTH + " printable ASCII characters, got "
                    + offered.length() + " characters starting '" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
        return offered;
    }

    private static boolean printableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
