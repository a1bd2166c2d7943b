package io.pretext.jobs.pretrain;

import org.apache.spark.sql.SparkSession;

/** Worker count and ND4J threads per worker, when the config leaves them on auto (0). */
public final class Workers {

    private Workers() {
    }

    /**
     * Auto: one worker on a local master (one process: a single worker with all cores beats several sharing
     * them), else one per task slot of the cluster (default parallelism / spark.task.cpus).
     */
    public static int resolve(SparkSession spark, int configured) {
        if (configured > 0) {
            return configured;
        }
        if (spark.sparkContext().isLocal()) {
            return 1;
        }
        int taskCpus = spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
        return Math.max(1, spark.sparkContext().defaultParallelism() / taskCpus);
    }

    /**
     * Auto: on a local master the machine's cores divided among the workers; on a cluster spark.task.cpus, so
     * that tasks sharing an executor do not oversubscribe it (give a training task all of an executor's cores
     * with spark.task.cpus = spark.executor.cores).
     */
    public static int threadsPerWorker(SparkSession spark, int configured, int workers) {
        if (configured > 0) {
            return configured;
        }
        if (spark.sparkContext().isLocal()) {
            return Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        }
        return spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
    }
}
