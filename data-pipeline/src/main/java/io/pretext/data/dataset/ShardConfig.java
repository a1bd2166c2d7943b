package io.pretext.data.dataset;

import java.io.Serializable;
import java.util.List;

/**
 * How a dataset's records are laid out in shard files. YAML section {@code shards:}.
 *
 * @param targetBytes   aimed size of one shard file; an input partition is split into
 *                      {@code ceil(estimated bytes / targetBytes)} shards (the estimate is the uncompressed record size,
 *                      so compressed shards come out smaller)
 * @param compression   Parquet codec: {@code snappy}, {@code zstd}, {@code gzip} or {@code uncompressed}
 * @param rowGroupBytes Parquet row group size: what a writer buffers in memory before flushing, and the unit a reader
 *                      splits work by
 */
public record ShardConfig(long targetBytes, String compression, long rowGroupBytes) implements Serializable {

    public static final List<String> COMPRESSIONS = List.of("snappy", "zstd", "gzip", "uncompressed");
    private static final String FIX = " (set it in the shards: section)";

    public ShardConfig {
        require(targetBytes >= 1024, "targetBytes", targetBytes, "must be >= 1024");
        require(COMPRESSIONS.contains(compression), "compression", compression, "must be one of " + COMPRESSIONS);
        require(rowGroupBytes >= 64 * 1024 && rowGroupBytes <= Integer.MAX_VALUE, "rowGroupBytes", rowGroupBytes,
                "must be in [65536, " + Integer.MAX_VALUE + "]");
    }

    /** 128 MiB shards, Snappy, 16 MiB row groups. */
    public static ShardConfig defaults() {
        return new ShardConfig(128L << 20, "snappy", 16L << 20);
    }

    /** The same settings with another target size. */
    public ShardConfig withTargetBytes(long targetBytes) {
        return new ShardConfig(targetBytes, compression, rowGroupBytes);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            String shown = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
            throw new IllegalArgumentException("shards." + key + " " + rule + ", got " + shown + FIX);
        }
    }
}
