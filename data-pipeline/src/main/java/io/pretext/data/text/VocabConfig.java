package io.pretext.data.text;

import java.io.Serializable;

/**
 * Building a WordPiece vocabulary from a corpus. YAML section {@code vocab:}.
 *
 * @param vocabSize    entries of the vocabulary, the five special tokens and every kept character included
 * @param minCharCount characters seen fewer times are left out (words holding them tokenize to {@code [UNK]})
 * @param minPairCount merging stops when no adjacent pair of pieces occurs this often, even below vocabSize
 */
public record VocabConfig(int vocabSize, int minCharCount, int minPairCount) implements Serializable {

    private static final String FIX = " (set it in the vocab: section)";

    public VocabConfig {
        require(vocabSize > Vocabulary.SPECIALS.size(), "vocabSize", vocabSize,
                "must be > " + Vocabulary.SPECIALS.size() + " (the special tokens)");
        require(minCharCount >= 1, "minCharCount", minCharCount, "must be >= 1");
        require(minPairCount >= 1, "minPairCount", minPairCount, "must be >= 1");
    }

    /** bert-base's size, 30,522 entries; characters seen at least twice; pairs seen at least twice. */
    public static VocabConfig defaults() {
        return new VocabConfig(30_522, 2, 2);
    }

    /** The same settings with another size. */
    public VocabConfig withVocabSize(int vocabSize) {
        return new VocabConfig(vocabSize, minCharCount, minPairCount);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("vocab." + key + " " + rule + ", got " + value + FIX);
        }
    }
}
