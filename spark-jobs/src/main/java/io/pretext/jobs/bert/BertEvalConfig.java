package io.pretext.jobs.bert;

import java.util.List;

/**
 * How a BERT run is evaluated and used after training (YAML section {@code eval:}).
 *
 * @param batchSize           sequences or documents per forward pass in evaluation, probes, embeddings and the
 *                            report
 * @param maxSeqLength        tokens of a document ({@code [CLS]} and {@code [SEP]} included, the rest cut) given to
 *                            the encoder by text probes, fine-tuning and embeddings; 0 = {@code text.maxSeqLength}
 * @param pooling             the document vector {@code pretext embed} writes: {@code cls} (the last layer's
 *                            {@code [CLS]} state) or {@code mean} (the mean of the last layer's token states, padding
 *                            left out)
 * @param seed                seed of the sentence pairs and masks of {@code pretext evaluate mlm} and of the report's
 *                            masked sentences, so that every evaluation of every run sees the same held-out task
 * @param probeRegParam       L2 strength of the probes' and the bag-of-words baseline's logistic regression
 * @param probeMaxIter        LBFGS iterations of those logistic regressions
 * @param bagOfWordsVocabSize words the bag-of-words baseline keeps (most frequent first, each in at least 2
 *                            training documents)
 * @param reportSequences     sequences set aside from training and shown in the report, masked, with the model's
 *                            top predictions
 */
public record BertEvalConfig(int batchSize, int maxSeqLength, String pooling, long seed, double probeRegParam,
                             int probeMaxIter, int bagOfWordsVocabSize, int reportSequences) {

    public static final List<String> POOLINGS = List.of("cls", "mean");

    public BertEvalConfig {
        require(batchSize >= 1, "batchSize", batchSize, ">= 1");
        require(maxSeqLength == 0 || maxSeqLength >= 3, "maxSeqLength", maxSeqLength,
                "0 (= text.maxSeqLength) or >= 3 ([CLS], a token, [SEP])");
        require(POOLINGS.contains(pooling), "pooling", pooling, "one of " + POOLINGS);
        require(probeRegParam >= 0, "probeRegParam", probeRegParam, ">= 0");
        require(probeMaxIter >= 1, "probeMaxIter", probeMaxIter, ">= 1");
        require(bagOfWordsVocabSize >= 1, "bagOfWordsVocabSize", bagOfWordsVocabSize, ">= 1");
        require(reportSequences >= 0, "reportSequences", reportSequences,
                ">= 0 (0 = no masked sentences in the report)");
    }

    /** 32 per pass, the training length, [CLS] vectors, seed 1234, probes as the image probes, 20,000 words. */
    public static BertEvalConfig defaults() {
        return new BertEvalConfig(32, 0, "cls", 1234, 1e-4, 200, 20_000, 4);
    }

    /** The document length for probes, fine-tuning and embeddings: this section's or the training length. */
    public int documentLength(int trainingSeqLength) {
        return maxSeqLength > 0 ? maxSeqLength : trainingSeqLength;
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("eval." + key + " must be " + rule + ", got " + value
                    + " (set it in the eval: section or with --set eval." + key + "=...)");
        }
    }
}
