package dev.sextant.registry.api;

import java.util.regex.Pattern;

/**
 * Who made a change, from the {@code X-Sextant-Actor} header that the gateway sets for an authenticated
 * caller; {@code anonymous} when absent (a registry called directly on a developer machine).
 */
public final class Actor {

    public static final String HEADER = "X-Sextant-Actor";
    public static final String ANONYMOUS = "anonymous";
    private static final Pattern VALID = Pattern.compile("[\\p{Graph} ]{1,200}");

    private Actor() {}

    public static String of(String header) {
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        String actor = header.strip();
        if (!VALID.matcher(actor).matches()) {
            throw ApiException.badRequest(
                    "header " + HEADER + " must be 1-200 printable characters, got '" + abbreviate(actor) + "'");
        }
        return actor;
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
