package io.pretext.jobs.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.jobs.storage.RunDirectory;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The model families' report sections in the run directory: {@code report/sections.json} lists them in order, each
 * picture is {@code report/<name>.png}.
 */
final class ReportSections {

    static final String INDEX = RunReport.DIR + "/sections.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A section as stored: pictures by file name. */
    record Stored(String id, String title, String text, List<StoredFigure> figures, ReportSection.Table table) {
    }

    /** @param file name under {@code report/} */
    record StoredFigure(String file, String caption, int width, int height) {
    }

    private ReportSections() {
    }

    /** Writes the pictures, then the index; a section whose id is already stored is replaced in place. */
    static void store(RunDirectory run, List<ReportSection> sections) {
        List<Stored> all = new ArrayList<>(read(run));
        for (ReportSection section : sections) {
            List<StoredFigure> figures = new ArrayList<>();
            for (ReportSection.Figure figure : section.figures()) {
                String file = figure.name() + ".png";
                run.writeAtomically(RunReport.DIR + "/" + file, out -> {
                    if (!ImageIO.write(figure.image(), "png", out)) {
                        throw new IllegalStateException("no PNG writer for figure " + figure.name());
                    }
                });
                figures.add(new StoredFigure(file, figure.caption(), figure.image().getWidth(),
                        figure.image().getHeight()));
            }
            Stored stored = new Stored(section.id(), section.title(), section.text(), figures, section.table());
            int at = indexOf(all, section.id());
            if (at >= 0) {
                all.set(at, stored);
            } else {
                all.add(stored);
            }
        }
        try {
            run.writeString(INDEX, JSON.writeValueAsString(all));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + INDEX, e);
        }
    }

    /** The stored sections in order; none when the run has none. */
    static List<Stored> read(RunDirectory run) {
        if (!run.exists(INDEX)) {
            return List.of();
        }
        try {
            return JSON.readValue(run.readString(INDEX), new TypeReference<List<Stored>>() {
            });
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable " + run.path(INDEX) + ": " + e.getMessage());
        }
    }

    private static int indexOf(List<Stored> sections, String id) {
        for (int i = 0; i < sections.size(); i++) {
            if (sections.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
