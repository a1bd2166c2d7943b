package io.pretext.data.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;

/**
 * What writing one shard produced, returned from the executor that wrote it and kept as
 * {@code _pending/KEY/NAME.json} until its partition is committed, so that a resumed run does not write it again.
 * A plain class: task results go through Spark's serializer, and Kryo 4.x cannot build records.
 */
public final class ShardReceipt implements Serializable {

    private final String path;
    private final long records;
    private final long bytes;
    private final String sha256;
    private final long duplicates;
    private final long existingDuplicates;
    private final long tokens;

    /**
     * @param path               relative to the dataset root
     * @param records            rows written
     * @param bytes              file size
     * @param sha256             hex SHA-256 of the file
     * @param duplicates         records of this shard dropped as exact duplicates within the partition
     * @param existingDuplicates records of this shard dropped as exact duplicates of earlier partitions
     * @param tokens             text shards: tokens in its sequences
     */
    public ShardReceipt(String path, long records, long bytes, String sha256, long duplicates,
                        long existingDuplicates, long tokens) {
        this.path = path;
        this.records = records;
        this.bytes = bytes;
        this.sha256 = sha256;
        this.duplicates = duplicates;
        this.existingDuplicates = existingDuplicates;
        this.tokens = tokens;
    }

    public String path() {
        return path;
    }

    public long records() {
        return records;
    }

    public long bytes() {
        return bytes;
    }

    public String sha256() {
        return sha256;
    }

    public long duplicates() {
        return duplicates;
    }

    public long existingDuplicates() {
        return existingDuplicates;
    }

    public long tokens() {
        return tokens;
    }

    /** The same receipt with counts of what was left out or held (a shard with no row has no file: null path). */
    public ShardReceipt with(long duplicates, long existingDuplicates, long tokens) {
        return new ShardReceipt(path, records, bytes, sha256, duplicates, existingDuplicates, tokens);
    }

    public boolean hasFile() {
        return path != null;
    }

    public DatasetManifest.Shard shard(String partition) {
        return new DatasetManifest.Shard(path, partition, records, bytes, sha256);
    }

    public String toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("path", path);
        n.put("records", records);
        n.put("bytes", bytes);
        n.put("sha256", sha256);
        n.put("duplicates", duplicates);
        n.put("existingDuplicates", existingDuplicates);
        n.put("tokens", tokens);
        return n.toString();
    }

    /**
     * Parses a receipt written by {@link #toJson}.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static ShardReceipt parse(String json) {
        try {
            ObjectNode n = (ObjectNode) new ObjectMapper().readTree(json);
            return new ShardReceipt(n.get("path").asText(), n.get("records").asLong(), n.get("bytes").asLong(),
                    n.get("sha256").asText(), n.get("duplicates").asLong(), n.get("existingDuplicates").asLong(),
                    n.get("tokens").asLong());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a shard receipt: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ShardReceipt[" + path + ", " + records + " records, " + bytes + " bytes]";
    }
}
