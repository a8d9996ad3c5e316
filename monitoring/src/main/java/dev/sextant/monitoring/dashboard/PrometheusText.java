package dev.sextant.monitoring.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a Prometheus text exposition (what {@code /actuator/prometheus} answers): one per line that is not
 * a comment, as name, labels and value. Written by hand: the Prometheus Java client writes this format but does not
 * read it, and the dashboard needs a few counters and histograms from it, not a metrics library.
 */
final class PrometheusText {

    record Sample(String name, Map<String, String> labels, double value) {}

    private PrometheusText() {}

    static List<Sample> parse(String exposition) {
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
                // a value this reader does not know (a timestamp after it, say): not a sample the dashboard uses
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
}
