package io.pretext.jobs.train;

/**
 * Where a run stands, saved with every checkpoint so that a resumed run continues at the same step.
 *
 * @param step        optimiser steps taken by each worker so far (the global step)
 * @param epoch       the epoch to continue in (0-based)
 * @param round       the next averaging round of that epoch; together with the epoch's deterministic shuffle
 *                    from (seed, epoch) this is the data cursor: rounds before it are done
 * @param examples    training examples (images, sequences) consumed so far across all workers
 * @param seed        the run seed
 * @param elapsedMillis training wall time so far, excluding time before the first round
 * @param dataFingerprint count and id digest of the training records; a resume on different data is refused
 * @param loss        the mean loss of the last round, NaN before the first
 */
public record TrainingState(long step, int epoch, int round, long examples, long seed, long elapsedMillis,
                            String dataFingerprint, double loss) {

    public static TrainingState start(long seed, String dataFingerprint) {
        return new TrainingState(0, 0, 0, 0, seed, 0, dataFingerprint, Double.NaN);
    }
}
