package io.pretext.jobs.train;

import org.apache.spark.Partitioner;

import java.io.Serializable;
import java.util.Comparator;

/** Where a record goes in one epoch: its shard (= worker) and its position within the shard. */
record ShardKey(int shard, long order, String id) implements Serializable {

    static final Comparator<ShardKey> ORDER = new ByOrder();

    /** Sends a record to the partition of its shard. */
    static final class ByShard extends Partitioner {
        private final int shards;

        ByShard(int shards) {
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
            return o instanceof ByShard other && other.shards == shards;
        }

        @Override
        public int hashCode() {
            return shards;
        }
    }

    private static final class ByOrder implements Comparator<ShardKey>, Serializable {
        @Override
        public int compare(ShardKey a, ShardKey b) {
            int c = Long.compare(a.order(), b.order());
            return c != 0 ? c : a.id().compareTo(b.id());
        }
    }
}
