package io.pretext.data.text;

import io.pretext.data.shard.StableHash;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Masked-LM masking of a {@link PackedSequence}, as {@link MaskingConfig} says: over the non-special positions
 * (never {@code [CLS]}, {@code [SEP]}, {@code [PAD]}), at least one position and at most {@code maxPredictions}.
 * With whole-word masking a word is selected with all its {@code ##} pieces or not at all; when no whole word fits
 * the count, the first word drawn is taken (cut to {@code maxPredictions}).
 *
 * <p>The draws for one sequence come from a generator seeded by (seed, epoch, sequence id): the masks are
 * reproducible, independent of the other sequences of a batch, and fresh in every epoch. Thread-safe.
 */
public final class MlmMasker {

    private static final long MASK_DOMAIN = 0x4D4C4D4D41L; // "MLMMA"

    private final MaskingConfig masking;
    private final int pad;
    private final int mask;
    private final boolean[] continuation;
    private final int[] randomTokens;

    public MlmMasker(Vocabulary vocab, MaskingConfig masking) {
        this.masking = masking;
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

    public MaskingConfig config() {
        return masking;
    }

    /**
     * The sequence masked for one epoch, padded with {@code [PAD]} to {@code seqLength}.
     *
     * @param seqLength at least the sequence's length
     */
    public BertExample mask(PackedSequence sequence, int seqLength, long seed, int epoch) {
        int length = sequence.length();
        if (seqLength < length) {
            throw new IllegalArgumentException("sequence " + sequence.id() + " has " + length + " tokens, more than "
                    + "the padded length " + seqLength);
        }
        SplittableRandom rng = new SplittableRandom(StableHash.derive(MASK_DOMAIN, seed, epoch,
                StableHash.hash64(sequence.id(), 0)));
        int[] tokens = Arrays.copyOf(sequence.tokenIds(), seqLength);
        Arrays.fill(tokens, length, seqLength, pad);
        long[] selected = select(tokens, sequence.firstSegmentLength() - 1, length, rng);
        int[] positions = new int[selected.length];
        int[] labels = new int[selected.length];
        for (int k = 0; k < selected.length; k++) {
            positions[k] = (int) (selected[k] >>> 32);
            labels[k] = (int) selected[k];
        }
        return new BertExample(tokens, length, sequence.firstSegmentLength(), positions, labels,
                sequence.randomNext(), sequence.documentId(), sequence.nextDocumentId());
    }

    /**
     * Selects and replaces masked-LM positions in {@code tokens} in place. Candidates are positions 1 to
     * {@code length - 2} except {@code sepA}. Returns {@code position << 32 | original id} per selected
     * position, ascending.
     */
    private long[] select(int[] tokens, int sepA, int length, SplittableRandom rng) {
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
