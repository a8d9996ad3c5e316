package dev.sextant.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of a Prometheus text exposition (what {@code /actuator/prometheus} answers): one per line that is not
 * a comment, as name, labels and value. Written by hand: the Prometheus Java client writes this format but does not
 * read it, and its readers (monitoring's dashboard, the load test) need a few counters and histograms from it, not a
 * metrics library.
 */
public final class PrometheusText {

    public record Sample(String name, Map<String, String> labels, double value) {}

    private PrometheusText() {}

    public static List<Sample> parse(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int close = line.lastIndexOf('}');
                labels(line.substring(brace + 1, close), labels);
            } else {
                name = line.substring(0, space).strip();
            }
            try {
                samples.add(new Sample(
                        name,
                        labels,
                        Double.parseDouble(line.substring(space + 1).strip())));
            } catch (NumberFormatException e) {
                // a value this reader does not know (a timestamp after it, say): not a sample its readers use
            }
        }
        return samples;
    }

    /** {@code a="1",b="x\"y"}: quoted values with backslash escapes. */
    private static void labels(String text, Map<String, String> labels) {
        int i = 0;
        while (i < text.length()) {
            int equals = text.indexOf('=', i);
            if (equals < 0 || equals + 1 >= text.length() || text.charAt(equals + 1) != '"') {
                return;
            }
            String key = text.substring(i, equals).strip();
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (j < text.length() && text.charAt(j) != '"') {
                char c = text.charAt(j);
                if (c == '\\' && j + 1 < text.length()) {
                    char next = text.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
            while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
                i++;
            }
        }
    }

    /** A histogram bucket's upper bound from its {@code le} label. */
    public static double le(String bound) {
        return bound == null || bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
    }

    /**
     * A quantile of the observations between two scrapes of a histogram (cumulative counts by upper bound, in
     * seconds), in milliseconds: linear within the bucket that holds it, as Prometheus's {@code histogram_quantile};
     * null without observations or without a histogram.
     */
    public static Double quantile(double q, TreeMap<Double, Double> now, TreeMap<Double, Double> before) {
        if (now.isEmpty()) {
            return null;
        }
        double total = now.lastEntry().getValue() - before.getOrDefault(now.lastKey(), 0.0);
        if (total <= 0) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (var bucket : now.entrySet()) {
            double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (count >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound * 1000;
                }
                double share = count == lowerCount ? 1 : (rank - lowerCount) / (count - lowerCount);
                return (lowerBound + (bucket.getKey() - lowerBound) * share) * 1000;
            }
            lowerBound = bucket.getKey();
            lowerCount = count;
        }
        return lowerBound * 1000;
    }
}
