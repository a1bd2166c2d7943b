package io.pretext.jobs.preprocess;

import io.pretext.data.dataset.ContentHash;
import io.pretext.data.dataset.DatasetLayout;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.DatasetReader;
import io.pretext.data.dataset.Hashed;
import io.pretext.data.dataset.ImageShards;
import io.pretext.data.dataset.ShardConfig;
import io.pretext.data.dataset.ShardReceipt;
import io.pretext.data.image.ImageCorpus;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.RejectReport;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An image partition: decoded and validated by {@link ImageCorpus} exactly as for training, then, in one shuffle,
 * every image goes to the shard its content hash picks, together with the hashes of the images already in the
 * dataset that pick the same shard; each shard's task sees its images sorted by hash, keeps the first of every run of
 * equal hashes (an existing image first, else the smallest id) and writes the rest as one Parquet file.
 */
final class ImagePartition implements PartitionInput {

    /** Bytes a record takes besides its pixels (id, label, hash, sizes), for the shard-count estimate. */
    private static final int RECORD_OVERHEAD = 96;

    private final ImageCorpus corpus;
    private final ImageDataConfig data;
    private final ShardConfig shardConfig;

    private ImagePartition(ImageCorpus corpus, ImageDataConfig data, ShardConfig shardConfig) {
        this.corpus = corpus;
        this.data = data;
        this.shardConfig = shardConfig;
    }

    static ImagePartition open(SparkSession spark, String path, PreprocessConfig config) {
        return new ImagePartition(ImageCorpus.open(spark, path, config.imageData()), config.imageData(),
                config.shards());
    }

    @Override
    public Outcome process(Context context) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(context.spark().sparkContext());
        String name = context.name();
        sc.setJobDescription("partition " + name + ": decode and validate images");
        RejectReport report = corpus.rejects();

        long recordBytes = (long) data.channels() * data.height() * data.width() + RECORD_OVERHEAD;
        int shards = ShardTasks.shardCount(report.usable() * recordBytes, shardConfig.targetBytes());
        String key = context.work().key();
        Map<Integer, ShardReceipt> finished = new LinkedHashMap<>();
        for (int i = 0; i < shards; i++) {
            ShardReceipt r = context.finished().get(DatasetLayout.shardName(DatasetLayout.SHARDS, key, i, shards));
            if (r != null) {
                finished.put(i, r);
            }
        }
        Set<Integer> done = new HashSet<>(finished.keySet());
        String prefix = context.idPrefix();

        JavaPairRDD<HashKey, ImageRecord> images = corpus.records().mapToPair(r -> {
            ImageRecord image = prefix.isEmpty() ? r
                    : new ImageRecord(prefix + r.id(), r.label(), r.channels(), r.height(), r.width(), r.pixels());
            String hash = ContentHash.of(image);
            return new Tuple2<>(new HashKey(DatasetLayout.shardOf(hash, shards), hash, false, image.id()), image);
        }).filter(t -> !done.contains(t._1().shard));
        if (!context.before().shards().isEmpty()) {
            JavaPairRDD<HashKey, ImageRecord> existing = DatasetReader.open(context.spark(),
                            context.plan().layout().root()).imageHashes()
                    .mapToPair(h -> new Tuple2<>(new HashKey(DatasetLayout.shardOf(h, shards), h, true, ""),
                            (ImageRecord) null))
                    .filter(t -> !done.contains(t._1().shard));
            images = images.union(existing);
        }

        DatasetLayout layout = context.plan().layout();
        ShardConfig config = shardConfig;
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        sc.setJobDescription("partition " + name + ": hash, deduplicate and write " + (shards - done.size()) + " of "
                + shards + " image shards");
        List<ShardReceipt> written = images
                .repartitionAndSortWithinPartitions(new ShardTasks.ByShard(shards), new HashOrder())
                .mapPartitionsWithIndex((index, it) -> {
                    if (done.contains(index)) {
                        return List.<ShardReceipt>of().iterator();
                    }
                    KeepFirst scan = new KeepFirst(it);
                    ShardReceipt r = ShardTasks.writeShard(layout,
                            DatasetLayout.shardName(DatasetLayout.SHARDS, key, index, shards), ImageShards.FORMAT,
                            config, conf.value(), scan)
                            .with(scan.duplicates, scan.existingDuplicates, 0);
                    ShardTasks.keep(layout, key, r, conf.value());
                    return List.of(r).iterator();
                }, false)
                .collect();

        List<ShardReceipt> all = new ArrayList<>(finished.values());
        all.addAll(written);
        long kept = all.stream().mapToLong(ShardReceipt::records).sum();
        long exact = all.stream().mapToLong(ShardReceipt::duplicates).sum();
        long existing = all.stream().mapToLong(ShardReceipt::existingDuplicates).sum();
        if (kept + exact + existing != report.usable()) {
            throw new IllegalStateException("partition " + name + ": " + report.usable() + " usable images but "
                    + kept + " kept + " + exact + " + " + existing + " duplicates");
        }
        Map<String, Long> rejected = new LinkedHashMap<>();
        report.counts().forEach((reason, n) -> rejected.put(reason.key(), n));
        DatasetManifest.Counts counts = new DatasetManifest.Counts(report.read(), rejected, Map.of(),
                new DatasetManifest.Duplicates(exact, existing, 0), kept, kept, 0);
        List<RejectLine> rejects = report.samples().stream()
                .map(r -> new RejectLine(prefix + r.id(), r.reason().key(), r.detail())).toList();
        int writtenFiles = (int) written.stream().filter(ShardReceipt::hasFile).count();
        return new Outcome(counts, all, List.of(), rejects, writtenFiles, finished.size());
    }

    @Override
    public void release() {
        corpus.unpersist();
    }

    /**
     * An image's place in the shard shuffle: its shard, content hash, whether it stands for an image already in the
     * dataset (hash only, no pixels), and its id. A plain class: Kryo 4.x cannot build records.
     */
    static final class HashKey implements ShardTasks.ShardedKey, Serializable {
        final int shard;
        final String hash;
        final boolean existing;
        final String id;

        HashKey(int shard, String hash, boolean existing, String id) {
            this.shard = shard;
            this.hash = hash;
            this.existing = existing;
            this.id = id;
        }

        @Override
        public int shard() {
            return shard;
        }
    }

    /** By hash; within a hash, an existing image first, then by id: the first of each run is the one kept. */
    static final class HashOrder implements Comparator<HashKey>, Serializable {
        @Override
        public int compare(HashKey a, HashKey b) {
            int byHash = a.hash.compareTo(b.hash);
            if (byHash != 0) {
                return byHash;
            }
            if (a.existing != b.existing) {
                return a.existing ? -1 : 1;
            }
            return a.id.compareTo(b.id);
        }
    }

    /** The images of one sorted shard, each hash's first only, counting what it leaves out. */
    private static final class KeepFirst implements Iterator<Hashed<ImageRecord>> {
        private final Iterator<Tuple2<HashKey, ImageRecord>> sorted;
        private String lastHash;
        private boolean lastExisting;
        private Hashed<ImageRecord> next;
        long duplicates;
        long existingDuplicates;

        KeepFirst(Iterator<Tuple2<HashKey, ImageRecord>> sorted) {
            this.sorted = sorted;
        }

        @Override
        public boolean hasNext() {
            while (next == null && sorted.hasNext()) {
                Tuple2<HashKey, ImageRecord> t = sorted.next();
                HashKey k = t._1();
                if (k.hash.equals(lastHash)) {
                    if (!k.existing && lastExisting) {
                        existingDuplicates++;
                    } else if (!k.existing) {
                        duplicates++;
                    }
                    continue;
                }
                lastHash = k.hash;
                lastExisting = k.existing;
                if (!k.existing) {
                    next = new Hashed<>(k.hash, t._2());
                }
            }
            return next != null;
        }

        @Override
        public Hashed<ImageRecord> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Hashed<ImageRecord> out = next;
            next = null;
            return out;
        }
    }
}
