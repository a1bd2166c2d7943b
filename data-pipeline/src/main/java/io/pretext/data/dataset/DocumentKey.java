package io.pretext.data.dataset;

import java.io.Serializable;

/**
 * What deduplication knows of a document: its id, {@link ContentHash} and shingles (empty unless near-duplicates are
 * looked for). A plain class: it travels through shuffles, and Spark's Kryo (4.x) cannot build records.
 */
public final class DocumentKey implements Serializable {

    private final String id;
    private final String hash;
    private final int[] shingles;

    public DocumentKey(String id, String hash, int[] shingles) {
        this.id = id;
        this.hash = hash;
        this.shingles = shingles;
    }

    public String id() {
        return id;
    }

    public String hash() {
        return hash;
    }

    /** Sorted distinct shingle indices, {@link ContentHash#shingles}. */
    public int[] shingles() {
        return shingles;
    }
}
