package io.pretext.data.text;

import java.io.Serializable;

/**
 * A document as WordPiece ids, sentence by sentence, sentences without tokens left out. A plain class: it travels
 * through shuffles, and Spark's Kryo (4.x) cannot build records.
 */
public final class TokenizedDocument implements Serializable {

    private final String id;
    private final int[][] sentences;

    /**
     * @param id        the document's id
     * @param sentences token ids per sentence, each non-empty; at least one sentence
     */
    public TokenizedDocument(String id, int[][] sentences) {
        if (id == null || sentences == null || sentences.length == 0) {
            throw new IllegalArgumentException("a tokenized document needs an id and at least one sentence");
        }
        this.id = id;
        this.sentences = sentences;
    }

    public String id() {
        return id;
    }

    public int[][] sentences() {
        return sentences;
    }

    /** Tokens over all sentences. */
    public long tokens() {
        long n = 0;
        for (int[] s : sentences) {
            n += s.length;
        }
        return n;
    }
}
