package io.pretext.data.text;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What reading one input gives: a document (possibly repaired) or none, and its issues. The element
 * of a corpus's persisted RDD. A plain class: Spark's Kryo (4.x) cannot build records, so
 * {@code DataKryoRegistrator} writes it field by field.
 */
public final class TextOutcome implements Serializable {

    private final String id;
    private final TextDocument document;
    private final List<TextIssue> issues;

    TextOutcome(String id, TextDocument document, List<TextIssue> issues) {
        this.id = id;
        this.document = document;
        this.issues = List.copyOf(issues);
    }

    /** An outcome as read back from storage or a shuffle. */
    public static TextOutcome of(String id, TextDocument document, List<TextIssue> issues) {
        return new TextOutcome(id, document, issues);
    }

    static TextOutcome rejected(TextIssue issue) {
        return new TextOutcome(issue.id(), null, List.of(issue));
    }

    public String id() {
        return id;
    }

    /** The usable document, or {@code null} when the input was rejected. */
    public TextDocument document() {
        return document;
    }

    /** Rejections and repairs of this input, in the order they were found. */
    public List<TextIssue> issues() {
        return issues;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextOutcome t && t.id.equals(id) && Objects.equals(t.document, document)
                && t.issues.equals(issues);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + issues.hashCode();
    }

    @Override
    public String toString() {
        return "TextOutcome[" + id + (document == null ? " rejected" : " usable") + ", issues=" + issues + "]";
    }
}
