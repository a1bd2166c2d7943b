package io.pretext.data.text;

import io.pretext.data.shard.StableHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
 * BERT pretraining examples (masked LM + next sentence prediction) from the documents of one partition,
 * after Google's {@code create_pretraining_data.py}:
 * <ol>
 *   <li>every sentence is tokenized ({@link WordPieceTokenizer}); sentences without tokens are dropped,
 *       and so are documents left without any;</li>
 *   <li>a document's sentences are gathered into a chunk until it holds at least the target length,
 *       {@code maxSeqLength - 3} tokens, or with probability {@code shortSeqProbability} a length drawn
 *       from [2, maxSeqLength - 3], or until the document ends;</li>
 *   <li>A is the chunk's first {@code k} sentences, {@code k} drawn from [1, sentences - 1];</li>
 *   <li>with probability {@code randomNextProbability} B is taken from another document of the same
 *       partition (drawn uniformly among the partition's other documents, so never the same one), from
 *       a random sentence on, up to the length A leaves; the chunk's unused sentences go back to the
 *       document for the next chunk (NSP label 1). Otherwise B is the rest of the chunk (label 0); a
 *       chunk of one sentence is cut at a random token into A and B (where BERT would always draw a
 *       random B), so the labels stay balanced;</li>
 *   <li>while A and B hold more than {@code maxSeqLength - 3} tokens the longer loses one token, at its
 *       front or back with even odds;</li>
 *   <li>masking as {@link MaskingConfig} says, over the non-special positions (never {@code [CLS]},
 *       {@code [SEP]}, {@code [PAD]}); at least one position and at most {@code maxPredictions}. With
 *       whole-word masking a word is selected with all its {@code ##} pieces or not at all; when no
 *       whole word fits the count, the first word drawn is taken (cut to {@code maxPredictions}).</li>
 * </ol>
 * All draws for one document come from one generator seeded by (seed, epoch, document id), so a
 * partition's examples are reproducible and change with the epoch. A partition holding a single
 * document cannot draw random B segments: its examples are all continuations and a warning is logged.
 *
 * <p>Token ids are int arrays throughout; no object is allocated per token.
 */
public final class BertExamples {

    private static final Logger LOG = LoggerFactory.getLogger(BertExamples.class);
    private static final long DOCUMENT_DOMAIN = 0x4245525444L; // "BERTD"

    private final WordPieceTokenizer tokenizer;
    private final BertExampleConfig config;
    private final MaskingConfig masking;
    private final int cls;
    private final int sep;
    private final int pad;
    private final int mask;
    private final boolean[] continuation;
    private final int[] randomTokens;

    public BertExamples(WordPieceTokenizer tokenizer, BertExampleConfig config, MaskingConfig masking) {
        this.tokenizer = tokenizer;
        this.config = config;
        this.masking = masking;
        Vocabulary vocab = tokenizer.vocabulary();
        this.cls = vocab.clsId();
        this.sep = vocab.sepId();
        this.pad = vocab.padId();
        this.mask = vocab.maskId();
        this.continuation = new boolean[vocab.size()];
        int[] plain = new int[vocab.size()];
        int plainCount = 0;
        for (int id = 0; id < vocab.size(); id++) {
            String t = vocab.token(id);
            continuation[id] = t.startsWith(Vocabulary.CONTINUATION) && t.length() > Vocabulary.CONTINUATION.length();
            boolean bracketed = t.length() > 2 && t.startsWith("[") && t.endsWith("]");
            if (!vocab.isSpecial(id) && !bracketed) {
                plain[plainCount++] = id;
            }
        }
        if (plainCount == 0) {
            throw new IllegalArgumentException("vocabulary " + vocab + " holds no token but special ones");
        }
        this.randomTokens = Arrays.copyOf(plain, plainCount);
    }

    /**
     * The examples of one epoch, made in the executors per partition of {@code documents}. The vocabulary
     * is broadcast; each executor JVM builds its tokenizer once ({@link WordPieceTokenizer#shared}). Random B
     * segments come from the same partition, so partitions should hold many documents (reshuffling them per
     * epoch, e.g. with {@code Sharding.epochShards}, also varies the pairs).
     */
    public static JavaRDD<BertExample> examples(JavaRDD<TextDocument> documents, Vocabulary vocab,
            BertExampleConfig config, MaskingConfig masking, long seed, int epoch) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(documents.context());
        Broadcast<Vocabulary> shared = sc.broadcast(vocab);
        return documents.mapPartitions(it -> {
            List<TextDocument> partition = new ArrayList<>();
            it.forEachRemaining(partition::add);
            BertExamples examples = new BertExamples(WordPieceTokenizer.shared(shared.value()), config, masking);
            return examples.generate(partition, seed, epoch);
        }).setName("BERT examples epoch " + epoch);
    }

    /** The examples of one partition's documents, made lazily document by document. */
    public Iterator<BertExample> generate(List<TextDocument> documents, long seed, int epoch) {
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
            LOG.warn("a partition holds one document ({}): no random next segments can be drawn, all its examples "
                    + "are continuations (repartition so that partitions hold many documents)", docs.get(0).id);
        }
        return new Iterator<>() {
            private int next;
            private Iterator<BertExample> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && next < docs.size()) {
                    current = document(docs, next++, seed, epoch).iterator();
                }
                return current.hasNext();
            }

            @Override
            public BertExample next() {
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

    /** The examples of document {@code d}, all draws from its own generator. */
    private List<BertExample> document(List<Tokenized> docs, int d, long seed, int epoch) {
        Tokenized doc = docs.get(d);
        SplittableRandom rng = new SplittableRandom(
                StableHash.derive(DOCUMENT_DOMAIN, seed, epoch, StableHash.hash64(doc.id, 0)));
        int maxTokens = config.maxSeqLength() - 3;
        int target = rng.nextDouble() < config.shortSeqProbability() ? 2 + rng.nextInt(maxTokens - 1) : maxTokens;
        List<BertExample> out = new ArrayList<>();
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
            out.add(example(a, b, randomNext, doc.id, nextId, rng));
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

    private BertExample example(Segment a, Segment b, boolean randomNext, String docId, String nextId,
            SplittableRandom rng) {
        int seq = config.maxSeqLength();
        int[] tokens = new int[seq];
        Arrays.fill(tokens, pad);
        int la = a.length();
        int lb = b.length();
        tokens[0] = cls;
        System.arraycopy(a.ids, a.lo, tokens, 1, la);
        tokens[la + 1] = sep;
        System.arraycopy(b.ids, b.lo, tokens, la + 2, lb);
        int length = la + lb + 3;
        tokens[length - 1] = sep;
        long[] selected = mask(tokens, la + 1, length, rng);
        int[] positions = new int[selected.length];
        int[] labels = new int[selected.length];
        for (int k = 0; k < selected.length; k++) {
            positions[k] = (int) (selected[k] >>> 32);
            labels[k] = (int) selected[k];
        }
        return new BertExample(tokens, length, la + 2, positions, labels, randomNext, docId, nextId);
    }

    /**
     * Selects and replaces masked-LM positions in {@code tokens} in place. Candidates are positions 1 to
     * {@code length - 2} except {@code sepA}. Returns {@code position << 32 | original id} per selected
     * position, ascending.
     */
    private long[] mask(int[] tokens, int sepA, int length, SplittableRandom rng) {
        // candidate groups: a position, or with whole-word masking a word with its ## pieces
        int[] groupStart = new int[length];
        int[] groupLength = new int[length];
        int groups = 0;
        int candidates = 0;
        for (int p = 1; p < length - 1; p++) {
            if (p == sepA) {
                continue;
            }
            candidates++;
            boolean joins = masking.wholeWordMasking() && groups > 0 && continuation[tokens[p]]
                    && groupStart[groups - 1] + groupLength[groups - 1] == p;
            if (joins) {
                groupLength[groups - 1]++;
            } else {
                groupStart[groups] = p;
                groupLength[groups] = 1;
                groups++;
            }
        }
        int[] order = new int[groups];
        for (int g = 0; g < groups; g++) {
            order[g] = g;
        }
        for (int g = groups - 1; g > 0; g--) { // Fisher-Yates
            int k = rng.nextInt(g + 1);
            int t = order[g];
            order[g] = order[k];
            order[k] = t;
        }
        int wanted = (int) Math.min(masking.maxPredictions(),
                Math.max(1, Math.round(candidates * masking.maskProbability())));
        long[] selected = new long[Math.min(wanted, candidates)];
        int count = 0;
        for (int k = 0; k < groups && count < wanted; k++) {
            int g = order[k];
            if (count + groupLength[g] > wanted) {
                continue;
            }
            for (int p = groupStart[g]; p < groupStart[g] + groupLength[g]; p++) {
                selected[count++] = replace(tokens, p, rng);
            }
        }
        if (count == 0 && groups > 0) { // no whole word fits: the first one drawn, cut to the cap
            int g = order[0];
            int n = Math.min(groupLength[g], Math.min(masking.maxPredictions(), selected.length));
            for (int p = groupStart[g]; p < groupStart[g] + n; p++) {
                selected[count++] = replace(tokens, p, rng);
            }
        }
        long[] out = Arrays.copyOf(selected, count);
        Arrays.sort(out);
        return out;
    }

    /** Replaces the token at {@code p} by [MASK], a random token or itself; returns {@code p << 32 | original}. */
    private long replace(int[] tokens, int p, SplittableRandom rng) {
        int original = tokens[p];
        double u = rng.nextDouble();
        if (u < masking.maskTokenProbability()) {
            tokens[p] = mask;
        } else if (u < masking.maskTokenProbability() + masking.randomTokenProbability()) {
            tokens[p] = randomTokens[rng.nextInt(randomTokens.length)];
        }
        return ((long) p << 32) | (original & 0xFFFFFFFFL);
    }
}
