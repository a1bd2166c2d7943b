package io.pretext.jobs.train;

import org.apache.spark.SparkContext;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts, on the driver, the task attempts that failed and the executors that went away, so each averaging
 * round can report what Spark retried for it.
 */
final class FaultCounter extends SparkListener {

    private final AtomicLong failedTasks = new AtomicLong();
    private final AtomicLong lostExecutors = new AtomicLong();

    static FaultCounter register(SparkContext sc) {
        FaultCounter counter = new FaultCounter();
        sc.addSparkListener(counter);
        return counter;
    }

    void unregister(SparkContext sc) {
        sc.removeSparkListener(this);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() != Success$.MODULE$) {
            failedTasks.incrementAndGet();
        }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        lostExecutors.incrementAndGet();
    }

    /** Failed task attempts since the last call. */
    long takeFailedTasks() {
        return failedTasks.getAndSet(0);
    }

    /** Executors removed since the last call. */
    long takeLostExecutors() {
        return lostExecutors.getAndSet(0);
    }
}
