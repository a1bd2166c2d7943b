package io.pretext.data.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BERT WordPiece tokenization for uncased vocabularies: {@link BasicTokenizer}, then greedy
 * longest-match-first WordPiece per word. A word is matched from its start against word-initial
 * tokens, then from each following position against {@code ##} continuation tokens; a word longer
 * than {@value #MAX_WORD_CHARS} characters (code points), or one that cannot be covered completely,
 * becomes a single {@code [UNK]}.
 *
 * <p>Thread-safe: each thread gets its own scratch buffers, so one instance serves all the tasks of
 * an executor. It is deliberately not {@link java.io.Serializable}: Spark code ships the
 * {@link Vocabulary} and calls {@link #shared} inside the task, which builds the tokenizer once per
 * JVM and vocabulary content.
 *
 * <p>Hot path: substring look-ups hash ranges of a char buffer (rolling polynomial hash over
 * prefix sums) into open-addressing tables; no object is allocated per token, one {@code int[]} per
 * call.
 */
public final class WordPieceTokenizer {

    /** Words with more characters than this become {@code [UNK]} (BERT's {@code max_input_chars_per_word}). */
    public static final int MAX_WORD_CHARS = 100;

    private static final ConcurrentHashMap<String, WordPieceTokenizer> SHARED = new ConcurrentHashMap<>();

    private final Vocabulary vocab;
    private final PieceTable initial;
    private final PieceTable continuation;
    private final int unk;
    private final ThreadLocal<Encoder> encoders = ThreadLocal.withInitial(Encoder::new);

    public WordPieceTokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        List<String> initialPieces = new ArrayList<>();
        List<Integer> initialIds = new ArrayList<>();
        List<String> continuationPieces = new ArrayList<>();
        List<Integer> continuationIds = new ArrayList<>();
        for (int id = 0; id < vocab.size(); id++) {
            String t = vocab.token(id);
            if (t.startsWith(Vocabulary.CONTINUATION) && t.length() > Vocabulary.CONTINUATION.length()) {
                continuationPieces.add(t.substring(Vocabulary.CONTINUATION.length()));
                continuationIds.add(id);
            } else {
                initialPieces.add(t);
                initialIds.add(id);
            }
        }
        this.initial = new PieceTable(initialPieces, initialIds);
        this.continuation = new PieceTable(continuationPieces, continuationIds);
        this.unk = vocab.unkId();
    }

    /** The tokenizer for this vocabulary's content, built once per JVM and reused by every caller. */
    public static WordPieceTokenizer shared(Vocabulary vocab) {
        return SHARED.computeIfAbsent(vocab.sha256(), h -> new WordPieceTokenizer(vocab));
    }

    public Vocabulary vocabulary() {
        return vocab;
    }

    /** Token ids of {@code text}, without {@code [CLS]}/{@code [SEP]}. */
    public int[] encode(CharSequence text) {
        Encoder e = encoders.get();
        e.size = 0;
        e.basic.split(text, e);
        return Arrays.copyOf(e.out, e.size);
    }

    /** Token strings of {@code text} (allocates; for inspection and tests). */
    public List<String> tokenize(CharSequence text) {
        int[] ids = encode(text);
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(vocab.token(id));
        }
        return out;
    }

    /** Per-thread state: the basic tokenizer, the output ids, and prefix hashes of the current word. */
    private final class Encoder implements BasicTokenizer.WordSink {
        final BasicTokenizer basic = new BasicTokenizer();
        int[] out = new int[256];
        int size;
        int[] prefix = new int[64];
        int[] powers = powers(64);

        @Override
        public void accept(char[] chars, int start, int end) {
            int len = end - start;
            if (len > MAX_WORD_CHARS && Character.codePointCount(chars, start, len) > MAX_WORD_CHARS) {
                add(unk);
                return;
            }
            if (prefix.length <= len) {
                prefix = new int[Math.max(len + 1, prefix.length * 2)];
                powers = powers(prefix.length);
            }
            int h = 0;
            prefix[0] = 0;
            for (int k = 0; k < len; k++) {
                h = h * PieceTable.BASE + chars[start + k];
                prefix[k + 1] = h;
            }
            int whole = initial.find(chars, start, end, h);
            if (whole >= 0) {
                add(whole);
                return;
            }
            int mark = size;
            int from = 0;
            while (from < len) {
                PieceTable table = from == 0 ? initial : continuation;
                int to = Math.min(len, from + table.maxLength);
                int id = -1;
                for (; to > from; to--) {
                    int rangeHash = prefix[to] - prefix[from] * powers[to - from];
                    id = table.find(chars, start + from, start + to, rangeHash);
                    if (id >= 0) {
                        break;
                    }
                }
                if (id < 0) {
                    size = mark; // the word cannot be covered: it is one [UNK]
                    add(unk);
                    return;
                }
                add(id);
                from = to;
            }
        }

        private void add(int id) {
            if (size == out.length) {
                out = Arrays.copyOf(out, size * 2);
            }
            out[size++] = id;
        }
    }

    private static int[] powers(int n) {
        int[] p = new int[n];
        p[0] = 1;
        for (int i = 1; i < n; i++) {
            p[i] = p[i - 1] * PieceTable.BASE;
        }
        return p;
    }

    /**
     * Strings to ids by exact match of a char range, open addressing. The slot comes from the
     * polynomial hash {@code sum c[k] * BASE^(len-1-k)} (mod 2^32) mixed by the MurmurHash3 finaliser,
     * so callers can hash any substring in O(1) from prefix hashes.
     */
    static final class PieceTable {
        static final int BASE = 0x01000193;

        private final char[] pool;
        private final int[] offsets;
        private final int[] lengths;
        private final int[] ids;
        private final int[] hashes;
        private final int[] slots; // entry index + 1; 0 = empty
        private final int mask;
        final int maxLength;

        PieceTable(List<String> pieces, List<Integer> pieceIds) {
            int n = pieces.size();
            offsets = new int[n];
            lengths = new int[n];
            ids = new int[n];
            hashes = new int[n];
            int total = 0;
            int longest = 0;
            for (String p : pieces) {
                total += p.length();
                longest = Math.max(longest, p.length());
            }
            maxLength = longest;
            pool = new char[total];
            int capacity = Integer.highestOneBit(Math.max(4, n * 3)) << 1;
            slots = new int[capacity];
            mask = capacity - 1;
            int at = 0;
            for (int i = 0; i < n; i++) {
                String p = pieces.get(i);
                p.getChars(0, p.length(), pool, at);
                offsets[i] = at;
                lengths[i] = p.length();
                ids[i] = pieceIds.get(i);
                int h = 0;
                for (int k = 0; k < p.length(); k++) {
                    h = h * BASE + p.charAt(k);
                }
                hashes[i] = h;
                int slot = mix(h) & mask;
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = i + 1;
                at += p.length();
            }
        }

        /** The id of {@code chars[start, end)} whose polynomial hash is {@code hash}, or -1. */
        int find(char[] chars, int start, int end, int hash) {
            int len = end - start;
            int slot = mix(hash) & mask;
            while (true) {
                int entry = slots[slot] - 1;
                if (entry < 0) {
                    return -1;
                }
                if (hashes[entry] == hash && lengths[entry] == len
                        && Arrays.equals(pool, offsets[entry], offsets[entry] + len, chars, start, end)) {
                    return ids[entry];
                }
                slot = (slot + 1) & mask;
            }
        }

        private static int mix(int h) {
            h ^= h >>> 16;
            h *= 0x85ebca6b;
            h ^= h >>> 13;
            h *= 0xc2b2ae35;
            h ^= h >>> 16;
            return h;
        }
    }
}
