package dev.sextant.features.client.definition;

import java.util.regex.Pattern;

/** A reference to one feature, written {@code view:feature}. */
public record FeatureRef(String view, String feature) {

    private static final Pattern FORMAT = Pattern.compile("([a-z0-9_]+):([a-z0-9_]+)");

    public static FeatureRef parse(String ref) {
        var matcher = ref == null ? null : FORMAT.matcher(ref);
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException("feature reference '" + ref + "' is not 'view:feature'");
        }
        return new FeatureRef(matcher.group(1), matcher.group(2));
    }

    @Override
    public String toString() {
        return view + ":" + feature;
    }
}
