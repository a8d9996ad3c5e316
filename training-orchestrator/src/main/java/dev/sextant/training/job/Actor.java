package dev.sextant.training.job;

import java.util.regex.Pattern;

/**
 * Who started or cancelled a job, from the {@value #HEADER} header that the gateway sets from the authenticated
 * client (it drops any a client sends); {@code anonymous} when absent (the orchestrator called directly on a
 * developer machine). It is stored with the job and written in its log, so it is bounded like the registry's.
 */
public final class Actor {

    public static final String HEADER = "X-Sextant-Actor";
    static final String ANONYMOUS = "anonymous";
    private static final Pattern VALID = Pattern.compile("[\\p{Graph} ]{1,200}");

    private Actor() {}

    public static String of(String header) {
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        String actor = header.strip();
        if (!VALID.matcher(actor).matches()) {
            String shown = actor.length() > 40 ? actor.substring(0, 40) + "..." : actor;
            throw new InvalidJobException("header " + HEADER + " must be 1-200 printable characters, got "
                    + actor.length() + " starting '" + shown + "'");
        }
        return actor;
    }
}
