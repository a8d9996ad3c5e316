package dev.sextant.web.problems;

import java.util.regex.Pattern;

/**
 * Who made a change, from the {@value #HEADER} header that the gateway sets from the authenticated client (it drops
 * any a client sends); {@value #ANONYMOUS} when absent (a service called directly on a developer machine). Services
 * store it with what it changed, so it is bounded: a header that is not 1-200 printable characters is refused, and
 * {@link ProblemDetailsHandler} answers that as a 400 problem naming the header.
 */
public final class Actor {

    public static final String HEADER = "X-Sextant-Actor";
    public static final String ANONYMOUS = "anonymous";
    private static final Pattern VALID = Pattern.compile("[\\p{Graph} ]{1,200}");

    private Actor() {}

    /** The actor the header names, or {@value #ANONYMOUS} without one. */
    public static String of(String header) {
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        String actor = header.strip();
        if (!VALID.matcher(actor).matches()) {
            String shown = actor.length() > 40 ? actor.substring(0, 40) + "..." : actor;
            throw new InvalidActorException("header " + HEADER + " must be 1-200 printable characters, got "
                    + actor.length() + " starting '" + shown + "'");
        }
        return actor;
    }

    /** The header names no valid actor: a client's mistake, answered 400. */
    public static final class InvalidActorException extends RuntimeException {

        InvalidActorException(String message) {
            super(message);
        }
    }
}
