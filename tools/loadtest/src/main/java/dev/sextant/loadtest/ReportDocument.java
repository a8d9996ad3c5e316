package dev.sextant.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The report as documents: sections of paragraphs, tables and charts, written as {@code report.md} and as
 * {@code report.html} (inline SVG charts, so the file stands alone, offline). A table cell that starts with
 * {@code MISSED} is drawn red in HTML, {@code met} green.
 */
final class ReportDocument {

    private ReportDocument() {}

    record Section(String title, List<String> text, List<Table> tables, List<String> charts) {}

    record Table(List<String> header, List<List<String>> rows) {

        String markdown() {
            StringBuilder out = new StringBuilder("| " + String.join(" | ", header) + " |\n|");
            header.forEach(column -> out.append("---|"));
            out.append('\n');
            rows.forEach(row -> out.append("| ").append(String.join(" | ", row)).append(" |\n"));
            return out.toString();
        }

        String html() {
            StringBuilder out = new StringBuilder("<table><tr>");
            header.forEach(column -> out.append("<th>").append(escape(column)).append("</th>"));
            out.append("</tr>");
            for (List<String> row : rows) {
                out.append("<tr>");
                for (String cell : row) {
                    String style = cell.startsWith("MISSED")
                            ? " class=\"missed\""
                            : cell.equals("met") ? " class=\"met\"" : "";
                    out.append("<td")
                            .append(style)
                            .append('>')
                            .append(escape(cell))
                            .append("</td>");
                }
                out.append("</tr>");
            }
            return out.append("</table>").toString();
        }
    }

    /** Writes the sections as {@code report.md} and {@code report.html} in the directory. */
    static void write(Path dir, List<Section> sections) throws IOException {
        Files.createDirectories(dir);
        StringBuilder markdown = new StringBuilder("# Load test report\n");
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Sextant load"
                + " test</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;"
                + "text-align:right}td:first-child,th:first-child{text-align:left}.missed{color:#b00;font-weight:bold}"
                + ".met{color:#070}svg{margin:0.5em 1em 1em 0}</style></head><body><h1>Sextant load test</h1>");
        for (Section section : sections) {
            markdown.append("\n## ").append(section.title()).append("\n\n");
            html.append("<h2>").append(escape(section.title())).append("</h2>");
            for (String paragraph : section.text()) {
                markdown.append(paragraph).append("\n\n");
                html.append("<p>").append(escape(paragraph)).append("</p>");
            }
            for (Table table : section.tables()) {
                markdown.append(table.markdown()).append('\n');
                html.append(table.html());
            }
            section.charts().forEach(html::append);
        }
        html.append("</body></html>\n");
        Files.writeString(dir.resolve("report.md"), markdown, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), html, StandardCharsets.UTF_8);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
