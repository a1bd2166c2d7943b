package io.pretext.jobs.train;

/**
 * Figures of one averaging round, as logged and written to {@code metrics.jsonl}.
 *
 * @param step              global step after the round
 * @param totalSteps        planned steps of the run
 * @param epoch             epoch of the round (0-based)
 * @param round             round within the epoch (0-based)
 * @param roundsInEpoch     rounds in this epoch
 * @param loss              mean loss over the round's steps on all workers
 * @param learningRate      learning rate at the round's last step
 * @param examples          examples trained on in the round, all workers
 * @param workers           workers that trained in the round
 * @param wallMillis        round wall time on the driver (broadcast, tasks, aggregation, averaging)
 * @param computeMillis     the slowest worker's time inside the optimiser
 * @param taskMillis        the slowest worker's task time (data, optimiser, serialisation)
 * @param dataWaitMillis    the slowest worker's wait for prepared batches
 * @param averagingMillis   wall time outside the slowest task: broadcast, scheduling, transfer and averaging
 * @param examplesPerSecond examples / wall time
 * @param elapsedMillis     training wall time of the run so far
 * @param failedTasks       task attempts Spark saw fail (and retried) during the round
 * @param lostExecutors     executors that went away during the round
 */
public record RoundStats(long step, long totalSteps, int epoch, int round, int roundsInEpoch, double loss,
                         double learningRate, long examples, int workers, long wallMillis, long computeMillis,
                         long taskMillis, long dataWaitMillis, long averagingMillis, double examplesPerSecond,
                         long elapsedMillis, long failedTasks, long lostExecutors) {

    /** Share of the round's wall time not spent in the slowest worker's task. */
    public double averagingShare() {
        return wallMillis == 0 ? 0 : (double) averagingMillis / wallMillis;
    }
}
