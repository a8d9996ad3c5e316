package dev.sextant.web.problems;

import tools.jackson.core.JacksonException;

/** Describes a JSON parsing failure by the field it happened at, e.g. {@code .features[2].ref}. */
public final class JsonErrors {

    private JsonErrors() {}

    /** The JSON path of the failure, starting with '.' or '[', or empty at the root. */
    public static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append('.').append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * What is wrong with a JSON document, where: {@code <subject><path> is not valid: <Jackson's message>}, e.g.
     * {@code request body.steps[0].weight is not valid: Cannot deserialize value of type `java.lang.Double` ...}.
     */
    public static String describe(String subject, JacksonException e) {
        return subject + path(e) + " is not valid: " + e.getOriginalMessage();
    }
}
