package io.pretext.jobs.train;

import java.io.Serializable;

/**
 * One worker's outcome of one averaging round.
 *
 * @param worker       the shard (partition) index
 * @param steps        optimiser steps taken (0 when the shard had no batch left in this round)
 * @param examples     examples trained on
 * @param lossSum      sum of the per-step losses
 * @param computeNanos time spent inside the optimiser
 * @param waitNanos    time the optimiser waited for the next batch to be prepared
 * @param totalNanos   the task's wall time from start to result
 * @param failure      why training stopped early (a non-finite loss), or null
 * @param params       parameters after the round, ND4J bytes, or null when steps == 0
 * @param updaterState updater state after the round, ND4J bytes, or null
 * @param executor     where the task ran, for the metrics
 */
record WorkerResult(int worker, int steps, long examples, double lossSum, long computeNanos, long waitNanos,
                    long totalNanos, String failure, byte[] params, byte[] updaterState, String executor)
        implements Serializable {
}
