package dev.sextant.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The samples of a Prometheus text exposition (what {@code /actuator/prometheus} answers): one per line that is not
 * a comment, as name, labels and value. Written by hand: the Prometheus Java client writes this format but does not
 * read it, and its readers (monitoring's dashboard, the load test) need a few counters and histograms from it, not a
 * metrics library.
 */
public final class PrometheusText {

    public record Sample(String name, Map<String, String> labels, double value) {}

    /**
     * One or more histograms summed over their series: observations, their sum (seconds) and cumulative counts by
     * upper bound (seconds). Histograms whose bounds differ merge as step functions: at each bound, every histogram
     * counts what it had at its own largest bound not above it, so no count is ever more than was observed there.
     */
    public record Histogram(double count, double sum, TreeMap<Double, Double> buckets) {

        /** The histograms {@code names} (base names, without {@code _bucket}) over the series that pass. */
        public static Histogram of(List<Sample> samples, Predicate<Sample> series, String... names) {
            double count = 0;
            double sum = 0;
            List<TreeMap<Double, Double>> each = new ArrayList<>();
            for (String name : names) {
                TreeMap<Double, Double> buckets = new TreeMap<>();
                for (Sample sample : samples) {
                    if (!sample.name().startsWith(name) || !series.test(sample)) {
                        continue;
                    }
                    String suffix = sample.name().substring(name.length());
                    switch (suffix) {
                        case "_count" -> count += sample.value();
                        case "_sum" -> sum += sample.value();
                        case "_bucket" -> buckets.merge(le(sample.labels().get("le")), sample.value(), Double::sum);
                        default -> {}
                    }
                }
                if (!buckets.isEmpty()) {
                    each.add(buckets);
                }
            }
            if (each.size() == 1) {
                return new Histogram(count, sum, each.get(0));
            }
            TreeMap<Double, Double> merged = new TreeMap<>();
            each.forEach(buckets -> buckets.keySet().forEach(bound -> merged.put(bound, 0.0)));
            for (TreeMap<Double, Double> buckets : each) {
                merged.replaceAll((bound, total) -> {
                    Map.Entry<Double, Double> below = buckets.floorEntry(bound);
                    return total + (below == null ? 0 : below.getValue());
                });
            }
            return new Histogram(count, sum, merged);
        }
    }

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
