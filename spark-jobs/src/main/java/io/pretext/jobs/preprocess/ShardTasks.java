package io.pretext.jobs.preprocess;

import io.pretext.data.dataset.DatasetLayout;
import io.pretext.data.dataset.ShardConfig;
import io.pretext.data.dataset.ShardFormat;
import io.pretext.data.dataset.ShardReceipt;
import io.pretext.data.dataset.ShardWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the shard-writing tasks of every kind share: writing one shard, and the receipts that make a run resumable. */
final class ShardTasks {

    private static final Logger log = LoggerFactory.getLogger(ShardTasks.class);

    private ShardTasks() {
    }

    /** Shards for an estimated {@code bytes} of records: {@code ceil(bytes / targetBytes)}, at least one. */
    static int shardCount(long bytes, long targetBytes) {
        return (int) Math.max(1, Math.min(100_000, (bytes + targetBytes - 1) / targetBytes));
    }

    /**
     * Writes the rows of one shard in an executor.
     *
     * @return the receipt; one without a file when no row came
     */
    static <T> ShardReceipt writeShard(DatasetLayout layout, String name, ShardFormat<T> format, ShardConfig config,
                                       Configuration conf, Iterator<T> records) throws IOException {
        ShardReceipt receipt;
        try (ShardWriter<T> writer = new ShardWriter<>(layout, name, format, config, conf)) {
            while (records.hasNext()) {
                writer.write(records.next());
            }
            receipt = writer.commit();
        }
        return receipt;
    }

    /** Records that a shard is finished, so that a resumed run of its partition does not write it again. */
    static void keep(DatasetLayout layout, String key, ShardReceipt receipt, Configuration conf) {
        if (receipt.hasFile()) {
            layout.writeString(DatasetLayout.receiptName(key, receipt.path()), receipt.toJson(), conf);
        }
    }

    /**
     * The finished shards of an uncommitted partition, by path: receipts whose file is there with the recorded size.
     * A receipt that cannot be read or whose file is gone or resized is ignored; that shard is written again.
     */
    static Map<String, ShardReceipt> finished(DatasetLayout layout, String key, Configuration conf) {
        Map<String, ShardReceipt> out = new LinkedHashMap<>();
        FileSystem fs = layout.fileSystem(conf);
        try {
            Path dir = layout.path(DatasetLayout.PENDING + "/" + key);
            if (!fs.exists(dir)) {
                return out;
            }
            for (FileStatus f : fs.listStatus(dir)) {
                String relative = DatasetLayout.PENDING + "/" + key + "/" + f.getPath().getName();
                ShardReceipt r;
                try {
                    r = ShardReceipt.parse(layout.readString(relative, conf));
                } catch (IllegalArgumentException e) {
                    log.warn("ignoring the unreadable receipt {}: {}", f.getPath(), e.getMessage());
                    continue;
                }
                try {
                    if (fs.getFileStatus(layout.path(r.path())).getLen() == r.bytes()) {
                        out.put(r.path(), r);
                    }
                } catch (FileNotFoundException e) {
                    log.warn("receipt {} names {}, which is gone: it is written again", f.getPath(), r.path());
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the receipts of " + layout.path(DatasetLayout.PENDING), e);
        }
    }

    /** A shuffle key that knows its shard. */
    interface ShardedKey {
        int shard();
    }

    /** Partition {@code i} of a shuffle holds the keys of shard {@code i}. */
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
            return ((ShardedKey) key).shard();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByShard b && b.shards == shards;
        }

        @Override
        public int hashCode() {
            return shards;
        }
    }

    /** The shard files of one folder of a partition, assigned by a hash of each record's id. */
    static Files byId(PartitionInput.Context context, String folder, int count) {
        Map<Integer, ShardReceipt> finished = new LinkedHashMap<>();
        String key = context.work().key();
        for (int i = 0; i < count; i++) {
            ShardReceipt r = context.finished().get(DatasetLayout.shardName(folder, key, i, count));
            if (r != null) {
                finished.put(i, r);
            }
        }
        return new Files(context.plan().layout(), folder, key, count, finished,
                JavaSparkContext.fromSparkContext(context.spark().sparkContext()));
    }

    /** Tokens a record holds, for the receipts of text shards. */
    @FunctionalInterface
    interface TokenCount<T> extends Serializable {
        long of(T record);
    }

    /** {@code count} files {@code FOLDER/KEY-i-of-count.parquet}; record r goes to {@code shardOf(id(r), count)}. */
    static final class Files {
        private final DatasetLayout layout;
        private final String folder;
        private final String key;
        private final int count;
        private final Map<Integer, ShardReceipt> finished;
        private final JavaSparkContext sc;
        private int written;

        Files(DatasetLayout layout, String folder, String key, int count, Map<Integer, ShardReceipt> finished,
              JavaSparkContext sc) {
            this.layout = layout;
            this.folder = folder;
            this.key = key;
            this.count = count;
            this.finished = finished;
            this.sc = sc;
        }

        int count() {
            return count;
        }

        int written() {
            return written;
        }

        int reused() {
            return finished.size();
        }

        /**
         * Shuffles {@code records} to their files, sorted by id within each, and writes the files an interrupted run
         * did not finish.
         *
         * @return the receipts of all {@code count} files, finished ones included
         */
        <T> List<ShardReceipt> write(JavaRDD<T> records, Function<T, String> idOf, ShardFormat<T> format,
                                     TokenCount<T> tokensOf, ShardConfig config) {
            Set<Integer> done = new HashSet<>(finished.keySet());
            int n = count;
            DatasetLayout root = layout;
            String folderName = folder;
            String partitionKey = key;
            SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
            List<ShardReceipt> fresh = records
                    .mapToPair(r -> {
                        String id = idOf.call(r);
                        return new Tuple2<>(new IdKey(DatasetLayout.shardOf(id, n), id), r);
                    })
                    .filter(t -> !done.contains(t._1().shard))
                    .repartitionAndSortWithinPartitions(new ByShard(n), new IdOrder())
                    .mapPartitionsWithIndex((index, it) -> {
                        if (done.contains(index)) {
                            return List.<ShardReceipt>of().iterator();
                        }
                        CountingValues<T> values = new CountingValues<>(it, tokensOf);
                        ShardReceipt r = writeShard(root, DatasetLayout.shardName(folderName, partitionKey, index, n),
                                format, config, conf.value(), values).with(0, 0, values.tokens);
                        keep(root, partitionKey, r, conf.value());
                        return List.of(r).iterator();
                    }, false)
                    .collect();
            written = (int) fresh.stream().filter(ShardReceipt::hasFile).count();
            List<ShardReceipt> all = new ArrayList<>(finished.values());
            all.addAll(fresh);
            return all;
        }
    }

    /** The values of a shuffled partition, counting their tokens on the way. */
    private static final class CountingValues<T> implements Iterator<T> {
        private final Iterator<Tuple2<IdKey, T>> pairs;
        private final TokenCount<T> tokensOf;
        long tokens;

        CountingValues(Iterator<Tuple2<IdKey, T>> pairs, TokenCount<T> tokensOf) {
            this.pairs = pairs;
            this.tokensOf = tokensOf;
        }

        @Override
        public boolean hasNext() {
            return pairs.hasNext();
        }

        @Override
        public T next() {
            T value = pairs.next()._2();
            tokens += tokensOf.of(value);
            return value;
        }
    }

    /** A record's place in an id-sharded shuffle. A plain class: Kryo 4.x cannot build records. */
    static final class IdKey implements ShardedKey, Serializable {
        final int shard;
        final String id;

        IdKey(int shard, String id) {
            this.shard = shard;
            this.id = id;
        }

        @Override
        public int shard() {
            return shard;
        }
    }

    private static final class IdOrder implements Comparator<IdKey>, Serializable {
        @Override
        public int compare(IdKey a, IdKey b) {
            return a.id.compareTo(b.id);
        }
    }
}
