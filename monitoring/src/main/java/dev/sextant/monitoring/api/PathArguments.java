package dev.sextant.monitoring.api;

import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The checks of the model name and version in the monitoring API's paths: a bad one is a 400 that names it. */
public final class PathArguments {

    private static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private PathArguments() {}

    public static String model(String name) {
        if (!MODEL.matcher(name).matches()) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST,
                    "model name '" + name + "' is not valid: 1-63"
                            + " lowercase letters, digits, '-', '_' or '.', starting with a letter or digit");
        }
        return name;
    }

    public static int version(int version) {
        if (version < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "version must be a positive integer");
        }
        return version;
    }
}
