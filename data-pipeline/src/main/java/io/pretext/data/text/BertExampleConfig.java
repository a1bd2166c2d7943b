package io.pretext.data.text;

import java.io.Serializable;

/**
 * How documents become BERT sentence pairs. YAML section {@code text:}.
 *
 * @param maxSeqLength          tokens per sequence including {@code [CLS]} and two {@code [SEP]}; shorter pairs are
 *                              padded
 * @param shortSeqProbability   probability that a document's chunks aim at a random shorter length in
 *                              [2, maxSeqLength - 3] instead of maxSeqLength - 3 (BERT's {@code short_seq_prob}), so
 *                              that the model also sees short sequences
 * @param randomNextProbability probability that segment B comes from another document (NSP label 1)
 */
public record BertExampleConfig(int maxSeqLength, double shortSeqProbability, double randomNextProbability)
        implements Serializable {

    private static final String FIX = " (set it in the text: section)";

    public BertExampleConfig {
        require(maxSeqLength >= 5, "maxSeqLength", maxSeqLength,
                "must be >= 5 ([CLS] A [SEP] B [SEP] with one token each)");
        require(shortSeqProbability >= 0 && shortSeqProbability <= 1, "shortSeqProbability", shortSeqProbability,
                "must be a probability in [0, 1]");
        require(randomNextProbability >= 0 && randomNextProbability <= 1, "randomNextProbability",
                randomNextProbability, "must be a probability in [0, 1]");
    }

    /** BERT's pretraining defaults for phase 1: 128 tokens, 10% short sequences, 50% random next. */
    public static BertExampleConfig defaults() {
        return new BertExampleConfig(128, 0.1, 0.5);
    }

    /** The same settings with another sequence length. */
    public BertExampleConfig withMaxSeqLength(int maxSeqLength) {
        return new BertExampleConfig(maxSeqLength, shortSeqProbability, randomNextProbability);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("text." + key + " " + rule + ", got " + value + FIX);
        }
    }
}
