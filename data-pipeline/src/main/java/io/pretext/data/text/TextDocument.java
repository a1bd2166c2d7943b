package io.pretext.data.text;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One usable document, split into sentences.
 *
 * @param id        stable identity inside its corpus (relative path, {@code file#L12}, id field)
 * @param label     label (first-level folder, label field), or {@code null}
 * @param sentences the document's sentences in order, each non-blank and stripped; at least one
 */
public record TextDocument(String id, String label, List<String> sentences) implements Serializable {

    public TextDocument {
        Objects.requireNonNull(id, "id");
        sentences = List.copyOf(sentences);
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("document " + id + " has no sentences");
        }
    }
}
