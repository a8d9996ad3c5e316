package dev.sextant.registry.model;

import dev.sextant.registry.api.ApiException;

/** A {@code tag} query parameter: {@code key} (any value) or {@code key=value}. */
record TagFilter(String key, String value) {

    static TagFilter parse(String parameter) {
        if (parameter == null) {
            return null;
        }
        int equals = parameter.indexOf('=');
        String key = equals < 0 ? parameter : parameter.substring(0, equals);
        if (key.isBlank() || key.length() > 250) {
            throw ApiException.badRequest("query parameter tag must be 'key' or 'key=value', got '" + parameter + "'");
        }
        return new TagFilter(key, equals < 0 ? null : parameter.substring(equals + 1));
    }
}
