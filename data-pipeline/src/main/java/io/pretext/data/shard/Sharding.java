package io.pretext.data.shard;

import java.io.Serializable;
import java.util.Comparator;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import scala.Tuple2;

/**
 * Deterministic assignment of records to shards and of an order within each shard, from the record
 * id, the run seed and the epoch. The same inputs give the same answer on every JVM; another epoch
 * gives an independent reshuffle; shard sizes are balanced (a uniform 64-bit hash reduced mod shards).
 */
public final class Sharding {

    private static final long SHARD_DOMAIN = 0x5348415244L; // "SHARD"
    private static final long ORDER_DOMAIN = 0x4F52444552L; // "ORDER"

    private Sharding() {
    }

    /** The shard, in {@code [0, shards)}, that {@code recordId} belongs to in {@code epoch}. */
    public static int shardOf(String recordId, long seed, int epoch, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1, got " + shards);
        }
        long h = StableHash.hash64(recordId, StableHash.derive(SHARD_DOMAIN, seed, epoch));
        return (int) Long.remainderUnsigned(h, shards);
    }

    /** The key that orders records within their shard in {@code epoch}: sort ascending (ties by id). */
    public static long orderKey(String recordId, long seed, int epoch) {
        return StableHash.hash64(recordId, StableHash.derive(ORDER_DOMAIN, seed, epoch));
    }

    /**
     * The records of one epoch as {@code shards} partitions: partition {@code p} holds exactly the
     * records with {@code shardOf(id) == p}, sorted by {@link #orderKey} then id. One shuffle.
     */
    public static <T> JavaRDD<T> epochShards(JavaRDD<T> records, Function<T, String> idOf, long seed, int epoch,
            int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1, got " + shards);
        }
        return records
                .mapToPair(r -> {
                    String id = idOf.call(r);
                    return new Tuple2<>(new ShardKey(shardOf(id, seed, epoch, shards), orderKey(id, seed, epoch), id), r);
                })
                .repartitionAndSortWithinPartitions(new ShardPartitioner(shards), new ShardOrder())
                .values();
    }

    /**
     * Where a record goes in one epoch. A plain class rather than a record: Spark's Kryo (4.x) cannot
     * build records, and this key travels through the shuffle.
     */
    static final class ShardKey implements Serializable {
        private final int shard;
        private final long order;
        private final String id;

        ShardKey(int shard, long order, String id) {
            this.shard = shard;
            this.order = order;
            this.id = id;
        }

        int shard() {
            return shard;
        }

        long order() {
            return order;
        }

        String id() {
            return id;
        }
    }

    private static final class ShardPartitioner extends Partitioner {
        private final int shards;

        ShardPartitioner(int shards) {
            this.shards = shards;
        }

        @Override
        public int numPartitions() {
            return shards;
        }

        @Override
        public int getPartition(Object key) {
            return ((ShardKey) key).shard();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ShardPartitioner p && p.shards == shards;
        }

        @Override
        public int hashCode() {
            return shards;
        }
    }

    private static final class ShardOrder implements Comparator<ShardKey>, Serializable {
        @Override
        public int compare(ShardKey a, ShardKey b) {
            int byOrder = Long.compare(a.order(), b.order());
            return byOrder != 0 ? byOrder : a.id().compareTo(b.id());
        }
    }
}
