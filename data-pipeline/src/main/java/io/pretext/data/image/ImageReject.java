package io.pretext.data.image;

import io.pretext.data.issue.Issue;
import java.io.Serializable;
import java.util.Objects;

/**
 * An input that did not become an {@link ImageRecord}.
 *
 * @param id     the input's id inside its corpus
 * @param reason why it was rejected
 * @param detail a short human-readable explanation (sizes, decoder message), never multi-line
 */
public record ImageReject(String id, RejectReason reason, String detail) implements DecodeResult, Issue<RejectReason>,
        Serializable {

    static final int MAX_DETAIL_CHARS = 200;

    public ImageReject {
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
