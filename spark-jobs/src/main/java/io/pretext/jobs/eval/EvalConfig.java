package io.pretext.jobs.eval;

/**
 * Evaluation settings (YAML section {@code eval:}).
 *
 * @param probeRegParam   L2 strength of the linear probe's logistic regression (features are standardised)
 * @param probeMaxIter    LBFGS iterations of the linear probe
 * @param knnK            neighbours of the kNN probe (cosine similarity, majority vote, ties to the closest)
 * @param batchSize       images per forward pass when extracting features
 * @param maxTrainRecords use at most this many labelled training records (0 = all), taken deterministically
 */
public record EvalConfig(double probeRegParam, int probeMaxIter, int knnK, int batchSize, long maxTrainRecords) {

    public EvalConfig {
        require(probeRegParam >= 0, "eval.probeRegParam", probeRegParam, ">= 0");
        require(probeMaxIter >= 1, "eval.probeMaxIter", probeMaxIter, ">= 1");
        require(knnK >= 1, "eval.knnK", knnK, ">= 1");
        require(batchSize >= 1, "eval.batchSize", batchSize, ">= 1");
        require(maxTrainRecords >= 0, "eval.maxTrainRecords", maxTrainRecords, ">= 0 (0 = all)");
    }

    public static EvalConfig defaults() {
        return new EvalConfig(1e-4, 200, 20, 256, 0);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(key + " must be " + rule + ", got " + value
                    + " (set it in the eval: section or with --set " + key + "=...)");
        }
    }
}
