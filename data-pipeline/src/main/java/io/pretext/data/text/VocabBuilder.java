package io.pretext.data.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Builds a WordPiece vocabulary for a domain corpus.
 *
 * <p>Word counts are made in the executors after the {@link BasicTokenizer} (so with the same lowercasing,
 * accent stripping and punctuation splitting the tokenizer applies), summed by a shuffle and collected. On
 * the driver, BPE-style merges over the counts: every word starts as its characters, the first as a
 * word-initial piece and the others as {@code ##} continuations; the most frequent adjacent pair (by
 * summed word counts; ties by the merged piece's text) is merged into a new piece, repeatedly, until the
 * vocabulary is full or no pair occurs {@code minPairCount} times. The vocabulary lists the special
 * tokens {@code [PAD] [UNK] [CLS] [SEP] [MASK]} first (ids 0-4), then every character seen at least
 * {@code minCharCount} times in both forms (initial forms, then continuation forms, each by falling count
 * in that position), then the
 * merged pieces in merge order. Words longer than {@value WordPieceTokenizer#MAX_WORD_CHARS} characters or
 * holding a dropped character are not counted (they tokenize to {@code [UNK]}). Deterministic: the same
 * counts give the same vocabulary.
 */
public final class VocabBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(VocabBuilder.class);

    private VocabBuilder() {
    }

    /** Basic-token counts of the documents' sentences, counted per partition in the executors. */
    public static Map<String, Long> wordCounts(JavaRDD<TextDocument> documents) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(documents.context());
        String previous = sc.getLocalProperty("spark.job.description");
        sc.setJobDescription("count words for the vocabulary");
        try {
            return documents.mapPartitionsToPair(VocabBuilder::countPartition).reduceByKey(Long::sum).collectAsMap();
        } finally {
            sc.setLocalProperty("spark.job.description", previous);
        }
    }

    private static Iterator<Tuple2<String, Long>> countPartition(Iterator<TextDocument> docs) {
        BasicTokenizer basic = new BasicTokenizer();
        Map<String, long[]> counts = new HashMap<>();
        while (docs.hasNext()) {
            for (String sentence : docs.next().sentences()) {
                basic.split(sentence, (chars, start, end) -> {
                    if (end - start <= WordPieceTokenizer.MAX_WORD_CHARS) {
                        counts.computeIfAbsent(new String(chars, start, end - start), w -> new long[1])[0]++;
                    }
                });
            }
        }
        List<Tuple2<String, Long>> out = new ArrayList<>(counts.size());
        counts.forEach((w, n) -> out.add(new Tuple2<>(w, n[0])));
        return out.iterator();
    }

    /** Counts the corpus's words in the executors, then builds the vocabulary on the driver. */
    public static Vocabulary build(TextCorpus corpus, VocabConfig config) {
        return build(wordCounts(corpus.documents()), config);
    }

    /**
     * The vocabulary for these word counts (see the class comment).
     *
     * @throws IllegalArgumentException when the special tokens and the kept characters alone exceed
     *                                  {@code vocabSize}, or there are no words
     */
    public static Vocabulary build(Map<String, Long> wordCounts, VocabConfig config) {
        if (wordCounts.isEmpty()) {
            throw new IllegalArgumentException("no words to build a vocabulary from (is the corpus empty?)");
        }
        TreeMap<String, Long> words = new TreeMap<>(wordCounts); // a fixed order whatever the map given
        Map<String, Long> initialChars = new HashMap<>();
        Map<String, Long> continuationChars = new HashMap<>();
        Map<String, Long> charTotals = new HashMap<>();
        for (Map.Entry<String, Long> e : words.entrySet()) {
            String w = e.getKey();
            for (int i = 0; i < w.length(); ) {
                int cp = w.codePointAt(i);
                String c = new String(Character.toChars(cp));
                charTotals.merge(c, e.getValue(), Long::sum);
                (i == 0 ? initialChars : continuationChars).merge(i == 0 ? c : Vocabulary.CONTINUATION + c,
                        e.getValue(), Long::sum);
                i += Character.charCount(cp);
            }
        }
        Set<String> kept = new HashSet<>();
        charTotals.forEach((c, n) -> {
            if (n >= config.minCharCount()) {
                kept.add(c);
            }
        });
        // every kept character in both forms, so that one seen only word-initially can still continue a word
        for (String c : kept) {
            initialChars.putIfAbsent(c, 0L);
            continuationChars.putIfAbsent(Vocabulary.CONTINUATION + c, 0L);
        }
        LinkedHashSet<String> vocab = new LinkedHashSet<>(Vocabulary.SPECIALS);
        addByCount(vocab, initialChars, s -> kept.contains(s));
        addByCount(vocab, continuationChars, s -> kept.contains(s.substring(Vocabulary.CONTINUATION.length())));
        if (vocab.size() > config.vocabSize()) {
            throw new IllegalArgumentException("vocab.vocabSize " + config.vocabSize() + " is smaller than the "
                    + Vocabulary.SPECIALS.size() + " special tokens and " + (vocab.size() - Vocabulary.SPECIALS.size())
                    + " character pieces seen at least vocab.minCharCount = " + config.minCharCount() + " times: raise "
                    + "vocab.vocabSize or vocab.minCharCount (set it in the vocab: section)");
        }
        new Merger(words, kept, vocab, config).run();
        LOG.info("vocabulary: {} entries from {} distinct words ({} characters kept)", vocab.size(), words.size(),
                kept.size());
        return Vocabulary.of(new ArrayList<>(vocab));
    }

    private static void addByCount(Set<String> vocab, Map<String, Long> counts, Predicate<String> keep) {
        counts.entrySet().stream()
                .filter(e -> keep.test(e.getKey()))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> vocab.add(e.getKey()));
    }

    /** The BPE merge loop over words as int symbol sequences, with incremental pair counts. */
    private static final class Merger {
        private final List<String> names = new ArrayList<>();
        private final Map<String, Integer> ids = new HashMap<>();
        private final int[][] words;
        private final int[] lengths;
        private final long[] counts;
        private final Map<Long, Long> pairCounts = new HashMap<>();
        private final Map<Long, Set<Integer>> pairWords = new HashMap<>();
        private final PriorityQueue<Candidate> queue = new PriorityQueue<>(
                Comparator.comparingLong(Candidate::count).reversed().thenComparing(Candidate::merged));
        private final Set<String> vocab;
        private final VocabConfig config;

        private record Candidate(long pair, long count, String merged) {
        }

        Merger(TreeMap<String, Long> wordCounts, Set<String> keptChars, Set<String> vocab, VocabConfig config) {
            this.vocab = vocab;
            this.config = config;
            List<int[]> seqs = new ArrayList<>();
            List<Long> weights = new ArrayList<>();
            for (Map.Entry<String, Long> e : wordCounts.entrySet()) {
                int[] seq = symbols(e.getKey(), keptChars);
                if (seq != null) {
                    seqs.add(seq);
                    weights.add(e.getValue());
                }
            }
            words = seqs.toArray(int[][]::new);
            lengths = new int[words.length];
            counts = new long[words.length];
            for (int w = 0; w < words.length; w++) {
                lengths[w] = words[w].length;
                counts[w] = weights.get(w);
                addPairs(w);
            }
            pairCounts.forEach((pair, n) -> queue.add(new Candidate(pair, n, merged(pair))));
        }

        /** The word as symbol ids (first character initial, the rest ##), or null when it holds a dropped character. */
        private int[] symbols(String word, Set<String> keptChars) {
            int[] seq = new int[word.codePointCount(0, word.length())];
            int k = 0;
            for (int i = 0; i < word.length(); ) {
                int cp = word.codePointAt(i);
                String c = new String(Character.toChars(cp));
                if (!keptChars.contains(c)) {
                    return null;
                }
                seq[k] = id(k == 0 ? c : Vocabulary.CONTINUATION + c);
                k++;
                i += Character.charCount(cp);
            }
            return seq;
        }

        private int id(String name) {
            return ids.computeIfAbsent(name, n -> {
                names.add(n);
                return names.size() - 1;
            });
        }

        private String merged(long pair) {
            String left = names.get((int) (pair >>> 32));
            String right = names.get((int) pair);
            return left + right.substring(Vocabulary.CONTINUATION.length());
        }

        void run() {
            while (vocab.size() < config.vocabSize()) {
                Candidate best = queue.poll();
                if (best == null) {
                    return;
                }
                Long current = pairCounts.get(best.pair());
                if (current == null || current != best.count()) {
                    continue; // stale entry: the pair's count changed since it was queued
                }
                if (best.count() < config.minPairCount()) {
                    return;
                }
                vocab.add(best.merged());
                apply(best.pair(), id(best.merged()));
            }
        }

        private void apply(long pair, int mergedId) {
            int left = (int) (pair >>> 32);
            int right = (int) pair;
            Set<Long> changed = new HashSet<>();
            for (int w : new ArrayList<>(pairWords.getOrDefault(pair, Set.of()))) {
                collectPairs(w, changed);
                removePairs(w);
                int[] seq = words[w];
                int n = lengths[w];
                int out = 0;
                for (int i = 0; i < n; i++) {
                    if (i + 1 < n && seq[i] == left && seq[i + 1] == right) {
                        seq[out++] = mergedId;
                        i++;
                    } else {
                        seq[out++] = seq[i];
                    }
                }
                lengths[w] = out;
                addPairs(w);
                collectPairs(w, changed);
            }
            // every pair whose count moved is queued again with its new count; the old entries go stale
            for (long p : changed) {
                Long n = pairCounts.get(p);
                if (n != null) {
                    queue.add(new Candidate(p, n, merged(p)));
                }
            }
        }

        private void collectPairs(int w, Set<Long> into) {
            for (int i = 0; i + 1 < lengths[w]; i++) {
                into.add(key(words[w][i], words[w][i + 1]));
            }
        }

        private void addPairs(int w) {
            for (int i = 0; i + 1 < lengths[w]; i++) {
                long p = key(words[w][i], words[w][i + 1]);
                pairCounts.merge(p, counts[w], Long::sum);
                pairWords.computeIfAbsent(p, k -> new HashSet<>()).add(w);
            }
        }

        private void removePairs(int w) {
            for (int i = 0; i + 1 < lengths[w]; i++) {
                long p = key(words[w][i], words[w][i + 1]);
                long left = pairCounts.merge(p, -counts[w], Long::sum);
                if (left == 0) {
                    pairCounts.remove(p);
                }
                Set<Integer> in = pairWords.get(p);
                if (in != null) {
                    in.remove(w);
                    if (in.isEmpty()) {
                        pairWords.remove(p);
                    }
                }
            }
        }

        private static long key(int left, int right) {
            return ((long) left << 32) | (right & 0xFFFFFFFFL);
        }
    }
}
