package io.pretext.jobs.preprocess;

import io.pretext.data.dataset.ContentHash;
import io.pretext.data.dataset.DatasetLayout;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.DatasetReader;
import io.pretext.data.dataset.DocumentIndex;
import io.pretext.data.dataset.DocumentKey;
import io.pretext.data.dataset.SequenceShards;
import io.pretext.data.dataset.ShardReceipt;
import io.pretext.data.text.PackedSequence;
import io.pretext.data.text.SequencePacker;
import io.pretext.data.text.TextCorpus;
import io.pretext.data.text.TextDocument;
import io.pretext.data.text.TextReport;
import io.pretext.data.text.TokenizedDocument;
import io.pretext.data.text.Vocabulary;
import io.pretext.data.text.WordPieceTokenizer;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A text partition: read and validated by {@link TextCorpus} exactly as for training; each document normalised
 * (BERT's basic tokenizer), hashed and WordPiece-tokenized once; exact duplicates removed in one shuffle by hash
 * (against the dataset's document index too), near duplicates optionally ({@link NearDuplicates}); the kept
 * documents' hashes written to the document index; then packed ({@link SequencePacker}) and written as shards of
 * {@link PackedSequence}s, each shard's sequences sorted by id.
 */
final class TextPartition implements PartitionInput {

    private final TextCorpus corpus;
    private final PreprocessConfig config;

    private TextPartition(TextCorpus corpus, PreprocessConfig config) {
        this.corpus = corpus;
        this.config = config;
    }

    static TextPartition open(SparkSession spark, String path, PreprocessConfig config) {
        return new TextPartition(TextCorpus.open(spark, path, config.textData()), config);
    }

    @Override
    public Outcome process(Context context) {
        SparkSession spark = context.spark();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String name = context.name();
        sc.setJobDescription("partition " + name + ": read and validate text");
        TextReport report = corpus.rejects();

        Vocabulary vocabulary = context.plan().vocabulary();
        Broadcast<Vocabulary> vocab = sc.broadcast(vocabulary);
        boolean near = config.dedup().near();
        int shingleWords = config.dedup().shingleWords();
        String prefix = context.idPrefix();
        JavaRDD<Prepared> prepared = corpus.documents().map(d -> Prepared.of(d, prefix,
                WordPieceTokenizer.shared(vocab.value()), near ? shingleWords : 0));

        JavaPairRDD<DocKey, Prepared> keyed = prepared.mapToPair(p -> new Tuple2<>(
                new DocKey(p.key.hash(), false, p.key.id()), p));
        JavaRDD<DocumentKey> existing = context.before().index().isEmpty() ? null
                : DatasetReader.open(spark, context.plan().layout().root()).documentIndex();
        if (existing != null) {
            keyed = keyed.union(existing.mapToPair(d -> new Tuple2<>(new DocKey(d.hash(), true, d.id()),
                    (Prepared) null)));
        }
        int partitions = Math.max(sc.defaultParallelism(), corpus.documents().getNumPartitions());
        JavaRDD<Prepared> scanned = keyed
                .repartitionAndSortWithinPartitions(new ByHash(partitions), new DocOrder())
                .mapPartitions(KeepFirst::new)
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        sc.setJobDescription("partition " + name + ": normalise, hash and tokenize documents; remove exact duplicates");
        Tally exact = scanned.aggregate(new Tally(), Tally::add, Tally::merge);
        if (exact.kept + exact.duplicates + exact.existingDuplicates != report.usable()) {
            throw new IllegalStateException("partition " + name + ": " + report.usable() + " usable documents but "
                    + exact.kept + " kept + " + exact.duplicates + " + " + exact.existingDuplicates + " duplicates");
        }
        JavaRDD<Prepared> unique = scanned.filter(p -> p.status == Prepared.KEPT);
        Tally kept = exact;
        if (near) {
            sc.setJobDescription("partition " + name + ": find near-duplicate documents (MinHash LSH)");
            JavaRDD<String> drop = NearDuplicates.find(spark, unique.map(p -> p.key), existing, config.dedup(),
                    config.text().seed());
            unique = unique.mapToPair(p -> new Tuple2<>(p.key.id(), p))
                    .subtractByKey(drop.mapToPair(id -> new Tuple2<>(id, Boolean.TRUE)))
                    .values()
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            kept = unique.aggregate(new Tally(), Tally::add, Tally::merge);
        }

        long targetBytes = config.shards().targetBytes();
        ShardTasks.Files index = ShardTasks.byId(context, DatasetLayout.INDEX,
                ShardTasks.shardCount(kept.kept * 64 + kept.shingles * 4, targetBytes));
        sc.setJobDescription("partition " + name + ": write the document index (" + index.count() + " files)");
        List<ShardReceipt> indexFiles = index.write(unique.map(p -> p.key), DocumentKey::id, DocumentIndex.FORMAT,
                d -> 0L, config.shards());

        String encoding = SequenceShards.encodingFor(vocabulary.size());
        int tokenBytes = SequenceShards.UINT16.equals(encoding) ? 2 : 4;
        JavaRDD<PackedSequence> sequences = SequencePacker.pack(
                unique.filter(p -> p.tokens != null).map(p -> p.tokens), kept.kept, vocabulary,
                config.text().examples(), config.text().groupSize(), config.text().seed());
        ShardTasks.Files shards = ShardTasks.byId(context, DatasetLayout.SHARDS,
                ShardTasks.shardCount(kept.tokens * tokenBytes, targetBytes));
        sc.setJobDescription("partition " + name + ": pack " + kept.kept + " documents into sequences and write "
                + shards.count() + " shards");
        List<ShardReceipt> shardFiles = shards.write(sequences, PackedSequence::id,
                SequenceShards.format(encoding), s -> s.tokenIds().length, config.shards());
        scanned.unpersist(false);
        unique.unpersist(false);

        Map<String, Long> rejected = new LinkedHashMap<>();
        Map<String, Long> repaired = new LinkedHashMap<>();
        report.counts().forEach((reason, n) -> (reason.rejects() ? rejected : repaired).put(reason.key(), n));
        DatasetManifest.Counts counts = new DatasetManifest.Counts(report.read(), rejected, repaired,
                new DatasetManifest.Duplicates(exact.duplicates, exact.existingDuplicates, exact.kept - kept.kept),
                kept.kept, shardFiles.stream().mapToLong(ShardReceipt::records).sum(),
                shardFiles.stream().mapToLong(ShardReceipt::tokens).sum());
        List<RejectLine> rejects = report.samples().stream()
                .map(i -> new RejectLine(prefix + i.id(), i.reason().key(), i.detail())).toList();
        return new Outcome(counts, shardFiles, indexFiles, rejects, index.written() + shards.written(),
                index.reused() + shards.reused());
    }

    @Override
    public void release() {
        corpus.unpersist();
    }

    /**
     * A document as deduplication and packing need it: key (id, hash, shingles), token ids (null when it has none)
     * and what exact deduplication decided. A plain class: it is shuffled and cached serialized.
     */
    static final class Prepared implements Serializable {
        static final byte KEPT = 0;
        static final byte DUPLICATE = 1;
        static final byte EXISTING_DUPLICATE = 2;

        final DocumentKey key;
        final TokenizedDocument tokens;
        final byte status;

        Prepared(DocumentKey key, TokenizedDocument tokens, byte status) {
            this.key = key;
            this.tokens = tokens;
            this.status = status;
        }

        static Prepared of(TextDocument d, String prefix, WordPieceTokenizer tokenizer, int shingleWords) {
            String id = prefix + d.id();
            List<String> words = ContentHash.words(d);
            int[] shingles = shingleWords > 0 ? ContentHash.shingles(words, shingleWords) : new int[0];
            TokenizedDocument t = SequencePacker.tokenize(d, tokenizer);
            return new Prepared(new DocumentKey(id, ContentHash.ofWords(words), shingles),
                    t == null ? null : new TokenizedDocument(id, t.sentences()), KEPT);
        }

        Prepared as(byte newStatus) {
            return new Prepared(key, tokens, newStatus);
        }
    }

    /** A document's place in the deduplication shuffle. A plain class: Kryo 4.x cannot build records. */
    static final class DocKey implements Serializable {
        final String hash;
        final boolean existing;
        final String id;

        DocKey(String hash, boolean existing, String id) {
            this.hash = hash;
            this.existing = existing;
            this.id = id;
        }
    }

    /** Equal hashes meet in one partition. */
    private static final class ByHash extends Partitioner {
        private final int partitions;

        ByHash(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return Math.floorMod(((DocKey) key).hash.hashCode(), partitions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByHash b && b.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }

    /** By hash; within a hash, a document already in the dataset first, then by id. */
    private static final class DocOrder implements Comparator<DocKey>, Serializable {
        @Override
        public int compare(DocKey a, DocKey b) {
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

    /** Marks all but the first document of each hash as a duplicate; existing documents are not passed on. */
    private static final class KeepFirst implements Iterator<Prepared> {
        private final Iterator<Tuple2<DocKey, Prepared>> sorted;
        private String lastHash;
        private boolean lastExisting;
        private Prepared next;

        KeepFirst(Iterator<Tuple2<DocKey, Prepared>> sorted) {
            this.sorted = sorted;
        }

        @Override
        public boolean hasNext() {
            while (next == null && sorted.hasNext()) {
                Tuple2<DocKey, Prepared> t = sorted.next();
                DocKey k = t._1();
                if (k.existing) {
                    lastHash = k.hash;
                    lastExisting = true;
                } else if (k.hash.equals(lastHash)) {
                    next = t._2().as(lastExisting ? Prepared.EXISTING_DUPLICATE : Prepared.DUPLICATE);
                } else {
                    lastHash = k.hash;
                    lastExisting = false;
                    next = t._2();
                }
            }
            return next != null;
        }

        @Override
        public Prepared next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Prepared out = next;
            next = null;
            return out;
        }
    }

    /** Documents by what deduplication decided, with the kept ones' tokens and shingles. */
    static final class Tally implements Serializable {
        long kept;
        long duplicates;
        long existingDuplicates;
        long tokens;
        long shingles;

        Tally add(Prepared p) {
            switch (p.status) {
                case Prepared.DUPLICATE -> duplicates++;
                case Prepared.EXISTING_DUPLICATE -> existingDuplicates++;
                default -> {
                    kept++;
                    tokens += p.tokens == null ? 0 : p.tokens.tokens();
                    shingles += p.key.shingles().length;
                }
            }
            return this;
        }

        Tally merge(Tally o) {
            kept += o.kept;
            duplicates += o.duplicates;
            existingDuplicates += o.existingDuplicates;
            tokens += o.tokens;
            shingles += o.shingles;
            return this;
        }
    }
}
