package io.pretext.jobs.report;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A model family's own part of the report: a title, a line of text, pictures and/or a table. SimCLR shows input
 * images next to their augmented views; a masked language model would show masked sentences with predictions, an
 * autoencoder inputs next to reconstructions. Sections are stored in {@code RUN_DIR/report/} (pictures as
 * {@code report/<name>.png}), so a regenerated report shows them too.
 *
 * @param id      stable key, lowercase letters, digits and dashes; a later section with the same id replaces an
 *                earlier one (e.g. predictions after training replace those at the start)
 * @param title   the section heading
 * @param text    one or two sentences saying what the reader sees, or empty
 * @param figures pictures, in order
 * @param table   a table, or null
 */
public record ReportSection(String id, String title, String text, List<Figure> figures, Table table) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public ReportSection {
        requireName("section id", id);
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("report section " + id + " needs a title");
        }
        text = text == null ? "" : text;
        figures = List.copyOf(figures);
    }

    /**
     * One picture.
     *
     * @param name    file name without extension: stored as {@code report/<name>.png}
     * @param caption what the picture shows, e.g. the order of its rows and columns
     */
    public record Figure(String name, String caption, BufferedImage image) {
        public Figure {
            requireName("figure name", name);
            caption = caption == null ? "" : caption;
            if (image == null) {
                throw new IllegalArgumentException("figure " + name + " has no image");
            }
        }
    }

    /** A table of text cells; every row has as many cells as the header. */
    public record Table(List<String> header, List<List<String>> rows) {
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
            for (List<String> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("table row " + row + " has " + row.size()
                            + " cells, the header " + header.size());
                }
            }
        }
    }

    static void requireName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be 1-64 lowercase letters, digits or dashes, got "
                    + name);
        }
    }
}
