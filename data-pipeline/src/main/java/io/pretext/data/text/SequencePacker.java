package io.pretext.data.text;

import io.pretext.data.shard.Sharding;
import io.pretext.data.shard.StableHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packs documents into BERT sentence pairs ({@link PackedSequence}s, unmasked), after Google's
 * {@code create_pretraining_data.py}:
 * <ol>
 *   <li>every sentence is tokenized ({@link WordPieceTokenizer}); sentences without tokens are dropped,
 *       and so are documents left without any;</li>
 *   <li>a document's sentences are gathered into a chunk until it holds at least the target length,
 *       {@code maxSeqLength - 3} tokens, or with probability {@code shortSeqProbability} a length drawn
 *       from [2, maxSeqLength - 3], or until the document ends;</li>
 *   <li>A is the chunk's first {@code k} sentences, {@code k} drawn from [1, sentences - 1];</li>
 *   <li>with probability {@code randomNextProbability} B is taken from another document of the same
 *       group (drawn uniformly among the group's other documents, so never the same one), from
 *       a random sentence on, up to the length A leaves; the chunk's unused sentences go back to the
 *       document for the next chunk (NSP label 1). Otherwise B is the rest of the chunk (label 0); a
 *       chunk of one sentence is cut at a random token into A and B (where BERT would always draw a
 *       random B), so the labels stay balanced;</li>
 *   <li>while A and B hold more than {@code maxSeqLength - 3} tokens the longer loses one token, at its
 *       front or back with even odds.</li>
 * </ol>
 * All draws for one document come from one generator seeded by (seed, document id), so a document's sequences
 * depend only on the seed, its own text and the documents of its group. A group holding a single document cannot
 * draw random B segments: its sequences are all continuations and a warning is logged.
 *
 * <p>Token ids are int arrays throughout; no object is allocated per token.
 */
public final class SequencePacker {

    /**
     * Documents per pairing group in {@link #pack(JavaRDD, long, Vocabulary, BertExampleConfig, long)}: random B
     * segments come from the same group, so a group must hold many documents; one group is packed by one task.
     */
    public static final int DOCUMENTS_PER_GROUP = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(SequencePacker.class);
    private static final long DOCUMENT_DOMAIN = 0x4245525444L; // "BERTD"
    private static final long GROUP_DOMAIN = 0x4752505350L; // "GRPSP"

    private final WordPieceTokenizer tokenizer;
    private final BertExampleConfig config;
    private final int cls;
    private final int sep;

    public SequencePacker(WordPieceTokenizer tokenizer, BertExampleConfig config) {
        this.tokenizer = tokenizer;
        this.config = config;
        this.cls = tokenizer.vocabulary().clsId();
        this.sep = tokenizer.vocabulary().sepId();
    }

    /**
     * The packed sequences of a corpus, made in the executors. Documents are put into groups of about
     * {@value #DOCUMENTS_PER_GROUP} by a stable hash of their id ({@code ceil(documentCount / DOCUMENTS_PER_GROUP)}
     * groups, one partition each, ordered within by another hash), so the pairs depend on the seed and the
     * documents only, never on how the input happened to be partitioned: the same corpus and seed give the same
     * sequences on any cluster. The vocabulary is broadcast; each executor JVM builds its tokenizer once.
     *
     * @param documentCount the number of documents (sizes the groups)
     */
    public static JavaRDD<PackedSequence> pack(JavaRDD<TextDocument> documents, long documentCount, Vocabulary vocab,
            BertExampleConfig config, long seed) {
        if (documentCount < 1) {
            throw new IllegalArgumentException("no documents to pack into sequences");
        }
        int groups = (int) Math.min(Integer.MAX_VALUE, (documentCount + DOCUMENTS_PER_GROUP - 1) / DOCUMENTS_PER_GROUP);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(documents.context());
        Broadcast<Vocabulary> shared = sc.broadcast(vocab);
        long groupSeed = StableHash.derive(GROUP_DOMAIN, seed);
        return Sharding.epochShards(documents, TextDocument::id, groupSeed, 0, groups).mapPartitions(it -> {
            List<TextDocument> group = new ArrayList<>();
            it.forEachRemaining(group::add);
            return new SequencePacker(WordPieceTokenizer.shared(shared.value()), config).packGroup(group, seed);
        }).setName("packed BERT sequences");
    }

    /**
     * The sequences of one pairing group as {@link #pack(JavaRDD, long, Vocabulary, BertExampleConfig, long)} makes
     * them, whatever the order of {@code documents}: they are ordered by the group order key first. For a corpus
     * of at most {@value #DOCUMENTS_PER_GROUP} documents (one group) this gives the corpus's sequences locally.
     */
    public Iterator<PackedSequence> packGroup(List<TextDocument> documents, long seed) {
        long groupSeed = StableHash.derive(GROUP_DOMAIN, seed);
        List<TextDocument> ordered = new ArrayList<>(documents);
        ordered.sort(Comparator.comparingLong((TextDocument d) -> Sharding.orderKey(d.id(), groupSeed, 0))
                .thenComparing(TextDocument::id));
        return pack(ordered, seed);
    }

    /** The sequences of one group of documents, made lazily document by document. */
    public Iterator<PackedSequence> pack(List<TextDocument> documents, long seed) {
        List<Tokenized> docs = new ArrayList<>(documents.size());
        for (TextDocument d : documents) {
            List<int[]> sentences = new ArrayList<>(d.sentences().size());
            for (String s : d.sentences()) {
                int[] ids = tokenizer.encode(s);
                if (ids.length > 0) {
                    sentences.add(ids);
                }
            }
            if (!sentences.isEmpty()) {
                docs.add(new Tokenized(d.id(), sentences.toArray(int[][]::new)));
            }
        }
        if (docs.size() == 1) {
            LOG.warn("a group holds one document ({}): no random next segments can be drawn, all its sequences "
                    + "are continuations (give the corpus more documents)", docs.get(0).id);
        }
        return new Iterator<>() {
            private int next;
            private Iterator<PackedSequence> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && next < docs.size()) {
                    current = document(docs, next++, seed).iterator();
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
        };
    }

    /** A document's sentences as token ids. */
    private record Tokenized(String id, int[][] sentences) {
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

        void add(int[] sentence, int from, int to) {
            int n = to - from;
            if (hi + n > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(hi + n, ids.length * 2));
            }
            System.arraycopy(sentence, from, ids, hi, n);
            hi += n;
        }
    }

    /** The sequences of document {@code d}, all draws from its own generator. */
    private List<PackedSequence> document(List<Tokenized> docs, int d, long seed) {
        Tokenized doc = docs.get(d);
        SplittableRandom rng = new SplittableRandom(StableHash.derive(DOCUMENT_DOMAIN, seed,
                StableHash.hash64(doc.id, 0)));
        int maxTokens = config.maxSeqLength() - 3;
        int target = rng.nextDouble() < config.shortSeqProbability() ? 2 + rng.nextInt(maxTokens - 1) : maxTokens;
        List<PackedSequence> out = new ArrayList<>();
        Segment a = new Segment();
        Segment b = new Segment();
        int[][] sentences = doc.sentences;
        int chunkStart = 0;
        int chunkTokens = 0;
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
            String nextId = doc.id;
            if (randomNext) {
                int r = rng.nextInt(docs.size() - 1);
                Tokenized other = docs.get(r >= d ? r + 1 : r);
                nextId = other.id;
                int wanted = Math.max(1, target - a.length());
                for (int s = rng.nextInt(other.sentences.length); s < other.sentences.length && b.length() < wanted; s++) {
                    b.add(other.sentences[s], 0, other.sentences[s].length);
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
            truncatePair(a, b, maxTokens, rng);
            out.add(sequence(a, b, randomNext, PackedSequence.id(doc.id, out.size()), nextId));
        }
        return out;
    }

    /** BERT's {@code truncate_seq_pair}: the longer segment loses a token at its front or back, at random. */
    private static void truncatePair(Segment a, Segment b, int maxTokens, SplittableRandom rng) {
        while (a.length() + b.length() > maxTokens) {
            Segment longer = a.length() > b.length() ? a : b;
            if (rng.nextDouble() < 0.5) {
                longer.lo++;
            } else {
                longer.hi--;
            }
        }
    }

    private PackedSequence sequence(Segment a, Segment b, boolean randomNext, String id, String nextId) {
        int la = a.length();
        int lb = b.length();
        int[] tokens = new int[la + lb + 3];
        tokens[0] = cls;
        System.arraycopy(a.ids, a.lo, tokens, 1, la);
        tokens[la + 1] = sep;
        System.arraycopy(b.ids, b.lo, tokens, la + 2, lb);
        tokens[tokens.length - 1] = sep;
        return new PackedSequence(id, tokens, la + 2, randomNext, nextId);
    }
}
