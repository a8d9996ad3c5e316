package dev.sextant.loadtest;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Line charts as inline SVG: a few series of (x, y) points, linear axes from zero. */
final class Svg {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#7f7f7f", "#2ca02c"};

    private Svg() {}

    static String chart(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        int width = 520;
        int height = 260;
        int left = 50;
        int bottom = 30;
        double maxX = 0;
        double maxY = 0;
        for (List<double[]> points : series.values()) {
            for (double[] point : points) {
                maxX = Math.max(maxX, point[0]);
                maxY = Double.isNaN(point[1]) ? maxY : Math.max(maxY, point[1]);
            }
        }
        if (maxX <= 0 || maxY <= 0) {
            return "";
        }
        maxY *= 1.1;
        double plotWidth = width - left - 10;
        double plotHeight = height - bottom - 25;
        StringBuilder svg = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\">"
                        + "<text x=\"%d\" y=\"14\" font-weight=\"bold\">%s</text>",
                width,
                height,
                left,
                ReportDocument.escape(title)));
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\"/>"
                        + "<line x1=\"%d\" y1=\"25\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\"/>",
                left,
                25 + plotHeight,
                width - 10,
                25 + plotHeight,
                left,
                left,
                25 + plotHeight));
        for (int tick = 0; tick <= 4; tick++) {
            double y = 25 + plotHeight - plotHeight * tick / 4;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>"
                            + "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>",
                    left - 4,
                    y + 4,
                    Cells.ms(maxY * tick / 4),
                    left,
                    y,
                    width - 10,
                    y));
            double x = left + plotWidth * tick / 4;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    x,
                    height - bottom + 14,
                    Cells.number(maxX * tick / 4)));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>" + "<text x=\"4\" y=\"20\">%s</text>",
                width - 10,
                height - 2,
                ReportDocument.escape(xLabel),
                ReportDocument.escape(yLabel)));
        int index = 0;
        for (var entry :
                series.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            String colour = COLOURS[index % COLOURS.length];
            StringBuilder path = new StringBuilder();
            for (double[] point : entry.getValue()) {
                if (Double.isNaN(point[1])) {
                    continue;
                }
                path.append(path.length() == 0 ? "M" : "L")
                        .append(String.format(
                                Locale.ROOT,
                                "%.1f %.1f ",
                                left + plotWidth * point[0] / maxX,
                                25 + plotHeight - plotHeight * point[1] / maxY));
            }
            svg.append("<path d=\"")
                    .append(path)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(colour)
                    .append("\" stroke-width=\"1.5\"/>");
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>",
                    width - 60,
                    30 + 13 * index,
                    colour,
                    ReportDocument.escape(entry.getKey())));
            index++;
        }
        return svg.append("</svg>").toString();
    }
}
