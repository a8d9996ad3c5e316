package dev.sextant.registry.model;

import dev.sextant.registry.api.ApiException;
import java.util.regex.Pattern;

/**
 * The naming rules of the registry's path segments, checked before anything else so that a bad name is a
 * 400 naming the rule. Model names: 1-63 characters of lowercase letters, digits, '-', '_' and '.', starting
 * with a letter or digit. Aliases: the same characters, starting with a letter (so an alias never reads as a
 * version number).
 */
public final class Names {

    private static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9._-]{0,62}");

    private Names() {}

    public static String model(String name) {
        if (name == null || !MODEL.matcher(name).matches()) {
            throw ApiException.badRequest("invalid model name '" + printable(name) + "': use 1-63 lowercase letters,"
                    + " digits, '-', '_' or '.', starting with a letter or digit");
        }
        return name;
    }

    public static String alias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw ApiException.badRequest("invalid alias '" + printable(alias) + "': use 1-63 lowercase letters,"
                    + " digits, '-', '_' or '.', starting with a letter");
        }
        return alias;
    }

    public static int version(String version) {
        if (version == null || !version.matches("[1-9][0-9]{0,8}")) {
            throw ApiException.badRequest("invalid version '" + printable(version) + "': use a positive integer");
        }
        return Integer.parseInt(version);
    }

    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
