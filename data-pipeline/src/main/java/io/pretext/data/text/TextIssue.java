package io.pretext.data.text;

import io.pretext.data.issue.Issue;
import java.io.Serializable;
import java.util.Objects;

/**
 * One issue with one text input: a rejection or a repair (see {@link TextIssueReason#rejects()}).
 *
 * @param id     the input's id inside its corpus
 * @param reason what was wrong
 * @param detail a short explanation (sizes, positions, parser message), one line
 */
public record TextIssue(String id, TextIssueReason reason, String detail) implements Issue<TextIssueReason>,
        Serializable {

    static final int MAX_DETAIL_CHARS = 200;

    public TextIssue {
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
