package io.pretext.data.text;

import io.pretext.data.shard.StableHash;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Packs documents into BERT pretraining sequences before masking ({@link PackedSequence}), once, with the pairing
 * rule of {@link BertExamples}: a document's sentences are gathered into chunks of the target length
 * ({@code maxSeqLength - 3} tokens, or with probability {@code shortSeqProbability} a length drawn from
 * [2, maxSeqLength - 3]); A is the chunk's first {@code k} sentences, {@code k} drawn from [1, sentences - 1]; with
 * probability {@code randomNextProbability} B comes from another document, from a random sentence on, and the
 * chunk's unused sentences start the next chunk, else B is the rest of the chunk (a one-sentence chunk is cut at a
 * random token); the longer segment loses a token at its front or back until the pair fits.
 *
 * <p>Random B segments come from the document's <em>packing group</em>: documents are spread over
 * {@link #groups groups} of about {@code groupSize} by a hash of their id, so a group, and hence every sequence,
 * depends only on the set of documents and the seed, never on how Spark partitions them; only one group is held in
 * memory at a time. All draws for one document come from a generator seeded by (seed, document id); there is no
 * epoch: masking, which changes every epoch, is the training run's.
 *
 * <p>Sequence ids are {@code <document id>#<n>}, n counting the document's sequences from 0.
 */
public final class SequencePacker implements Serializable {

    /**
     * Documents per packing group when training packs a raw corpus itself
     * ({@link #pack(JavaRDD, long, Vocabulary, BertExampleConfig, long)}); preprocessing takes its group size from
     * its configuration.
     */
    public static final int DOCUMENTS_PER_GROUP = 256;

    private static final Logger LOG = LoggerFactory.getLogger(SequencePacker.class);
    private static final long PACK_DOMAIN = 0x5041434B4544L; // "PACKED"
    private static final long GROUP_DOMAIN = 0x47524F5550L; // "GROUP"

    private final BertExampleConfig config;
    private final int cls;
    private final int sep;

    /** Tokenizes the documents given to {@link #packGroup}; not shipped to executors. */
    private final transient WordPieceTokenizer tokenizer;

    public SequencePacker(Vocabulary vocab, BertExampleConfig config) {
        this.tokenizer = null;
        this.config = config;
        this.cls = vocab.clsId();
        this.sep = vocab.sepId();
    }

    /** A packer that also tokenizes, for {@link #packGroup}. */
    public SequencePacker(WordPieceTokenizer tokenizer, BertExampleConfig config) {
        this.tokenizer = tokenizer;
        this.config = config;
        this.cls = tokenizer.vocabulary().clsId();
        this.sep = tokenizer.vocabulary().sepId();
    }

    /**
     * The packed sequences of a raw corpus, made in the executors with groups of {@value #DOCUMENTS_PER_GROUP}
     * documents: {@link #sequences}.
     *
     * @param documentCount the corpus's usable document count (sizes the groups)
     */
    public static JavaRDD<PackedSequence> pack(JavaRDD<TextDocument> documents, long documentCount, Vocabulary vocab,
                                               BertExampleConfig config, long seed) {
        if (documentCount < 1) {
            throw new IllegalArgumentException("no documents to pack into sequences");
        }
        return sequences(documents, documentCount, vocab, config, DOCUMENTS_PER_GROUP, seed);
    }

    /**
     * The sequences of one packing group as the executors make them, whatever the order of {@code documents}
     * (they are ordered by id first, as the packing shuffle orders them). For a corpus of at most
     * {@value #DOCUMENTS_PER_GROUP} documents (one group) this gives the corpus's sequences locally.
     */
    public Iterator<PackedSequence> packGroup(List<TextDocument> documents, long seed) {
        if (tokenizer == null) {
            throw new IllegalStateException("this packer was made without a tokenizer: use "
                    + "SequencePacker(WordPieceTokenizer, BertExampleConfig)");
        }
        List<TokenizedDocument> group = new ArrayList<>(documents.size());
        for (TextDocument d : documents) {
            TokenizedDocument t = tokenize(d, tokenizer);
            if (t != null) {
                group.add(t);
            }
        }
        group.sort(Comparator.comparing(TokenizedDocument::id));
        return pack(group, seed).iterator();
    }

    /** How many packing groups {@code documents} documents form: about {@code groupSize} each, at least one. */
    public static int groups(long documents, int groupSize) {
        if (groupSize < 1) {
            throw new IllegalArgumentException("a packing group must hold >= 1 document, got " + groupSize);
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (documents + groupSize - 1) / groupSize));
    }

    /** The packing group, in {@code [0, groups)}, of a document. */
    public static int groupOf(String documentId, long seed, int groups) {
        return (int) Long.remainderUnsigned(StableHash.hash64(documentId, StableHash.derive(GROUP_DOMAIN, seed)),
                groups);
    }

    /** A document's sentences as token ids, sentences without tokens left out; null when no sentence has one. */
    public static TokenizedDocument tokenize(TextDocument document, WordPieceTokenizer tokenizer) {
        List<int[]> sentences = new ArrayList<>(document.sentences().size());
        for (String s : document.sentences()) {
            int[] ids = tokenizer.encode(s);
            if (ids.length > 0) {
                sentences.add(ids);
            }
        }
        return sentences.isEmpty() ? null : new TokenizedDocument(document.id(), sentences.toArray(int[][]::new));
    }

    /**
     * The packed sequences of {@code documents}: tokenized in the executors (one tokenizer per JVM), then
     * {@link #pack(JavaRDD, long, Vocabulary, BertExampleConfig, int, long) packed}.
     *
     * @param documentCount how many documents {@code documents} holds (the corpus's usable count): it sets the
     *                      number of packing groups
     */
    public static JavaRDD<PackedSequence> sequences(JavaRDD<TextDocument> documents, long documentCount,
                                                    Vocabulary vocab, BertExampleConfig config, int groupSize,
                                                    long seed) {
        Broadcast<Vocabulary> shared = JavaSparkContext.fromSparkContext(documents.context()).broadcast(vocab);
        JavaRDD<TokenizedDocument> tokenized = documents.mapPartitions(it -> {
            WordPieceTokenizer tokenizer = WordPieceTokenizer.shared(shared.value());
            List<TokenizedDocument> out = new ArrayList<>();
            while (it.hasNext()) {
                TokenizedDocument d = tokenize(it.next(), tokenizer);
                if (d != null) {
                    out.add(d);
                }
            }
            return out.iterator();
        });
        return pack(tokenized, documentCount, vocab, config, groupSize, seed);
    }

    /**
     * Packs tokenized documents: one shuffle brings each packing group together, sorted by document id, and each
     * group is packed in memory.
     *
     * @param documentCount sets the number of packing groups, {@link #groups}{@code (documentCount, groupSize)}
     */
    public static JavaRDD<PackedSequence> pack(JavaRDD<TokenizedDocument> documents, long documentCount,
                                               Vocabulary vocab, BertExampleConfig config, int groupSize, long seed) {
        int groups = groups(documentCount, groupSize);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(documents.context());
        int partitions = Math.max(1, Math.min(groups, Math.max(documents.getNumPartitions(), sc.defaultParallelism())));
        SequencePacker packer = new SequencePacker(vocab, config);
        return documents
                .mapToPair(d -> new Tuple2<>(new GroupKey(groupOf(d.id(), seed, groups), d.id()), d))
                .repartitionAndSortWithinPartitions(new GroupPartitioner(partitions), new GroupOrder())
                .mapPartitions(it -> new GroupIterator(it, packer, seed))
                .setName("packed sequences");
    }

    /** The sequences of one packing group, document after document in the given order. */
    public List<PackedSequence> pack(List<TokenizedDocument> group, long seed) {
        if (group.size() == 1) {
            LOG.warn("a packing group holds one document ({}): no random next segments can be drawn, all its "
                    + "sequences are continuations (give the corpus more documents)", group.get(0).id());
        }
        List<PackedSequence> out = new ArrayList<>();
        for (int d = 0; d < group.size(); d++) {
            document(group, d, seed, out);
        }
        return out;
    }

    /** A growable run of token ids with a window {@code [lo, hi)} that truncation narrows. */
    private static final class Segment {
        int[] ids = new int[64];
        int lo;
        int hi;

        void clear() {
            lo = 0;
            hi = 0;
        }

        int length() {
            return hi - lo;
        }

        void add(int[] tokens, int from, int to) {
            int n = to - from;
            if (hi + n > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(hi + n, ids.length * 2));
            }
            System.arraycopy(tokens, from, ids, hi, n);
            hi += n;
        }
    }

    private void document(List<TokenizedDocument> docs, int d, long seed, List<PackedSequence> out) {
        TokenizedDocument doc = docs.get(d);
        SplittableRandom rng = new SplittableRandom(
                StableHash.derive(PACK_DOMAIN, seed, StableHash.hash64(doc.id(), 0)));
        int maxTokens = config.maxSeqLength() - 3;
        int target = rng.nextDouble() < config.shortSeqProbability() ? 2 + rng.nextInt(maxTokens - 1) : maxTokens;
        Segment a = new Segment();
        Segment b = new Segment();
        int[][] sentences = doc.sentences();
        int chunkStart = 0;
        int chunkTokens = 0;
        int emitted = 0;
        for (int i = 0; i < sentences.length; i++) {
            chunkTokens += sentences[i].length;
            if (i < sentences.length - 1 && chunkTokens < target) {
                continue;
            }
            int chunkSize = i + 1 - chunkStart;
            int aEnd = chunkSize >= 2 ? 1 + rng.nextInt(chunkSize - 1) : 1;
            a.clear();
            b.clear();
            for (int s = chunkStart; s < chunkStart + aEnd; s++) {
                a.add(sentences[s], 0, sentences[s].length);
            }
            boolean randomNext = docs.size() > 1 && rng.nextDouble() < config.randomNextProbability();
            String nextId = doc.id();
            if (randomNext) {
                int r = rng.nextInt(docs.size() - 1);
                TokenizedDocument otherDocument = docs.get(r >= d ? r + 1 : r);
                nextId = otherDocument.id();
                int[][] other = otherDocument.sentences();
                int wanted = Math.max(1, target - a.length());
                for (int s = rng.nextInt(other.length); s < other.length && b.length() < wanted; s++) {
                    b.add(other[s], 0, other[s].length);
                }
                i -= chunkSize - aEnd; // the unused sentences start the next chunk
            } else if (chunkSize >= 2) {
                for (int s = chunkStart + aEnd; s <= i; s++) {
                    b.add(sentences[s], 0, sentences[s].length);
                }
            } else if (a.length() >= 2) {
                int cut = a.lo + 1 + rng.nextInt(a.length() - 1);
                b.add(a.ids, cut, a.hi);
                a.hi = cut;
            }
            chunkStart = i + 1;
            chunkTokens = 0;
            if (b.length() == 0) {
                continue; // a one-token sentence alone, with no other document to pair it with
            }
            while (a.length() + b.length() > maxTokens) { // BERT's truncate_seq_pair
                Segment longer = a.length() > b.length() ? a : b;
                if (rng.nextDouble() < 0.5) {
                    longer.lo++;
                } else {
                    longer.hi--;
                }
            }
            out.add(sequence(PackedSequence.id(doc.id(), emitted++), a, b, randomNext, nextId));
        }
    }

    private PackedSequence sequence(String id, Segment a, Segment b, boolean randomNext, String nextId) {
        int la = a.length();
        int lb = b.length();
        int[] tokens = new int[la + lb + 3]; // [CLS] A [SEP] B [SEP]
        tokens[0] = cls;
        System.arraycopy(a.ids, a.lo, tokens, 1, la);
        tokens[la + 1] = sep;
        System.arraycopy(b.ids, b.lo, tokens, la + 2, lb);
        tokens[tokens.length - 1] = sep;
        return new PackedSequence(id, tokens, la + 2, randomNext, nextId);
    }

    /** Pulls one packing group at a time from the sorted partition and yields its sequences. */
    private static final class GroupIterator implements Iterator<PackedSequence> {
        private final Iterator<Tuple2<GroupKey, TokenizedDocument>> input;
        private final SequencePacker packer;
        private final long seed;
        private Tuple2<GroupKey, TokenizedDocument> lookahead;
        private Iterator<PackedSequence> current = Collections.emptyIterator();

        GroupIterator(Iterator<Tuple2<GroupKey, TokenizedDocument>> input, SequencePacker packer, long seed) {
            this.input = input;
            this.packer = packer;
            this.seed = seed;
            this.lookahead = input.hasNext() ? input.next() : null;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && lookahead != null) {
                int group = lookahead._1().group;
                List<TokenizedDocument> docs = new ArrayList<>();
                while (lookahead != null && lookahead._1().group == group) {
                    docs.add(lookahead._2());
                    lookahead = input.hasNext() ? input.next() : null;
                }
                current = packer.pack(docs, seed).iterator();
            }
            return current.hasNext();
        }

        @Override
        public PackedSequence next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }

    /** A document's place in the packing shuffle. A plain class: Kryo 4.x cannot build records. */
    static final class GroupKey implements Serializable {
        final int group;
        final String id;

        GroupKey(int group, String id) {
            this.group = group;
            this.id = id;
        }
    }

    private static final class GroupPartitioner extends Partitioner {
        private final int partitions;

        GroupPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return ((GroupKey) key).group % partitions;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof GroupPartitioner p && p.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }

    private static final class GroupOrder implements Comparator<GroupKey>, Serializable {
        @Override
        public int compare(GroupKey a, GroupKey b) {
            int byGroup = Integer.compare(a.group, b.group);
            return byGroup != 0 ? byGroup : a.id.compareTo(b.id);
        }
    }
}
