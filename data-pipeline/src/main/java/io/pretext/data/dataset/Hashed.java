package io.pretext.data.dataset;

import java.io.Serializable;

/**
 * A record with its {@link ContentHash}. A plain class: it travels through shuffles, and Spark's Kryo (4.x) cannot
 * build records.
 *
 * @param <T> the record type
 */
public final class Hashed<T> implements Serializable {

    private final String hash;
    private final T record;

    public Hashed(String hash, T record) {
        this.hash = hash;
        this.record = record;
    }

    public String hash() {
        return hash;
    }

    public T record() {
        return record;
    }
}
