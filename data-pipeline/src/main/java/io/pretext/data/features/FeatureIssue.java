package io.pretext.data.features;

import io.pretext.data.issue.Issue;
import java.io.Serializable;
import java.util.Objects;

/**
 * One issue of one row: the reason and where it was found.
 *
 * @param id     the row's id inside its corpus
 * @param reason what was wrong
 * @param detail the first column with it and the value, one line
 */
public record FeatureIssue(String id, FeatureIssueReason reason, String detail) implements Issue<FeatureIssueReason>,
        Serializable {

    static final int MAX_DETAIL_CHARS = 200;

    public FeatureIssue {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
        detail = shorten(detail == null ? "" : detail);
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_DETAIL_CHARS ? oneLine : oneLine.substring(0, MAX_DETAIL_CHARS - 3) + "...";
    }

    @Override
    public String toString() {
        return id + " (" + reason.key() + ": " + detail + ")";
    }
}
