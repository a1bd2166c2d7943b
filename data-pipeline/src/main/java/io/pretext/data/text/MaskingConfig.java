package io.pretext.data.text;

import java.io.Serializable;

/**
 * Masked-LM corruption. YAML section {@code masking:}. Of the non-special tokens of a sequence,
 * {@code round(n * maskProbability)} (at least 1, at most {@code maxPredictions}) are selected; each
 * selected token becomes {@code [MASK]} with probability {@code maskTokenProbability}, a random vocabulary
 * token with probability {@code randomTokenProbability}, and stays unchanged otherwise.
 *
 * @param maskProbability        share of non-special tokens selected for prediction
 * @param maskTokenProbability   of the selected, the share replaced by {@code [MASK]}
 * @param randomTokenProbability of the selected, the share replaced by a random token (never a special or
 *                               bracketed token such as {@code [unused3]})
 * @param maxPredictions         most selected positions per sequence (BERT: 20 at 128 tokens)
 * @param wholeWordMasking       select whole words: {@code ##} pieces are selected together with their word
 */
public record MaskingConfig(
        double maskProbability,
        double maskTokenProbability,
        double randomTokenProbability,
        int maxPredictions,
        boolean wholeWordMasking) implements Serializable {

    private static final String FIX = " (set it in the masking: section)";

    public MaskingConfig {
        require(maskProbability > 0 && maskProbability <= 1, "maskProbability", maskProbability, "must be in (0, 1]");
        require(maskTokenProbability >= 0 && maskTokenProbability <= 1, "maskTokenProbability", maskTokenProbability,
                "must be a probability in [0, 1]");
        require(randomTokenProbability >= 0 && randomTokenProbability <= 1 - maskTokenProbability,
                "randomTokenProbability", randomTokenProbability,
                "must be in [0, 1 - maskTokenProbability] = [0, " + (1 - maskTokenProbability) + "]");
        require(maxPredictions >= 1, "maxPredictions", maxPredictions, "must be >= 1");
    }

    /** BERT's: 15% selected, 80% [MASK], 10% random, 10% unchanged, at most 20, word pieces independent. */
    public static MaskingConfig defaults() {
        return new MaskingConfig(0.15, 0.8, 0.1, 20, false);
    }

    /** The same settings with whole-word masking on or off. */
    public MaskingConfig withWholeWordMasking(boolean on) {
        return new MaskingConfig(maskProbability, maskTokenProbability, randomTokenProbability, maxPredictions, on);
    }

    /** The same settings with another cap on selected positions. */
    public MaskingConfig withMaxPredictions(int maxPredictions) {
        return new MaskingConfig(maskProbability, maskTokenProbability, randomTokenProbability, maxPredictions,
                wholeWordMasking);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("masking." + key + " " + rule + ", got " + value + FIX);
        }
    }
}
