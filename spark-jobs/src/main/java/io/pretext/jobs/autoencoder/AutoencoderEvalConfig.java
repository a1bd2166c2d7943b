package io.pretext.jobs.autoencoder;

import io.pretext.jobs.eval.EvalConfig;

/**
 * Scoring and evaluation settings of an autoencoder run (YAML section {@code eval:}): the anomaly threshold, the
 * PCA baseline of {@code pretext evaluate anomaly}, and the probe settings {@link EvalConfig} holds for
 * {@code pretext evaluate linear-probe} and {@code knn}.
 *
 * @param anomalyQuantile quantile of the training records' anomaly scores saved as the threshold: a record whose
 *                        score is above it is an anomaly (0.99 flags at most 1% of the training data)
 * @param pcaMaxRecords   training records the PCA baseline is fitted on at most, chosen by a stable id hash
 *                        (0 = all)
 * @param batchSize       records per forward pass when scoring, embedding and extracting probe features
 * @param probeRegParam   L2 strength of the linear probe's logistic regression
 * @param probeMaxIter    LBFGS iterations of the linear probe
 * @param knnK            neighbours of the kNN probe
 * @param maxTrainRecords labelled training records the probes use at most (0 = all)
 */
public record AutoencoderEvalConfig(double anomalyQuantile, long pcaMaxRecords, int batchSize, double probeRegParam,
                                    int probeMaxIter, int knnK, long maxTrainRecords) {

    public AutoencoderEvalConfig {
        if (!(anomalyQuantile > 0 && anomalyQuantile < 1)) {
            throw new IllegalArgumentException("eval.anomalyQuantile must be in (0, 1), got " + anomalyQuantile
                    + " (set it in the eval: section or with --set eval.anomalyQuantile=0.99)");
        }
        if (pcaMaxRecords < 0) {
            throw new IllegalArgumentException("eval.pcaMaxRecords must be >= 0 (0 = all), got " + pcaMaxRecords
                    + " (set it in the eval: section or with --set eval.pcaMaxRecords=...)");
        }
        new EvalConfig(probeRegParam, probeMaxIter, knnK, batchSize, maxTrainRecords);
    }

    /** Threshold at the 0.99 quantile, PCA fitted on up to 50,000 records, the probes' defaults. */
    public static AutoencoderEvalConfig defaults() {
        EvalConfig probes = EvalConfig.defaults();
        return new AutoencoderEvalConfig(0.99, 50_000, probes.batchSize(), probes.probeRegParam(),
                probes.probeMaxIter(), probes.knnK(), probes.maxTrainRecords());
    }

    /** The settings of the linear-probe and kNN evaluations. */
    public EvalConfig probes() {
        return new EvalConfig(probeRegParam, probeMaxIter, knnK, batchSize, maxTrainRecords);
    }
}
