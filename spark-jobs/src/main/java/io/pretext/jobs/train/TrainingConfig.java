package io.pretext.jobs.train;

/**
 * How training runs on Spark (YAML section {@code train:}).
 *
 * @param workers              parallel workers, one Spark task each per averaging round; 0 = auto (1 on a local
 *                             master, the cluster's default parallelism otherwise)
 * @param batchSize            examples per worker per optimiser step (for SimCLR: images; each gives two views,
 *                             and the views of one batch always stay on one worker)
 * @param averagingFrequency   optimiser steps each worker takes between parameter averagings
 * @param epochs               passes over the training data
 * @param maxSteps             stop after this many steps even if epochs remain; 0 = no limit
 * @param seed                 run seed: weight init, shuffling, augmentation
 * @param checkpointEverySteps write a checkpoint at the first round boundary after every this many steps
 * @param keepCheckpoints      newest checkpoints kept
 * @param logEverySteps        progress line and metrics every this many steps (at round boundaries)
 * @param threadsPerWorker     ND4J threads per worker; 0 = the executor's cores divided by its concurrent tasks
 * @param prefetchBatches      batches a worker prepares (augments) ahead of the optimiser in a background thread
 */
public record TrainingConfig(int workers, int batchSize, int averagingFrequency, int epochs, long maxSteps,
                             long seed, long checkpointEverySteps, int keepCheckpoints, long logEverySteps,
                             int threadsPerWorker, int prefetchBatches) {

    public TrainingConfig {
        require(workers >= 0, "train.workers", workers, ">= 0 (0 = auto)");
        require(batchSize >= 1, "train.batchSize", batchSize, ">= 1");
        require(averagingFrequency >= 1, "train.averagingFrequency", averagingFrequency,
                ">= 1 (steps per worker between averagings)");
        require(epochs >= 1, "train.epochs", epochs, ">= 1");
        require(maxSteps >= 0, "train.maxSteps", maxSteps, ">= 0 (0 = no limit)");
        require(checkpointEverySteps >= 1, "train.checkpointEverySteps", checkpointEverySteps, ">= 1");
        require(keepCheckpoints >= 1, "train.keepCheckpoints", keepCheckpoints, ">= 1");
        require(logEverySteps >= 1, "train.logEverySteps", logEverySteps, ">= 1");
        require(threadsPerWorker >= 0, "train.threadsPerWorker", threadsPerWorker, ">= 0 (0 = auto)");
        require(prefetchBatches >= 0, "train.prefetchBatches", prefetchBatches, ">= 0");
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(0, 128, 10, 10, 0, 42, 500, 3, 20, 0, 2);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(key + " must be " + rule + ", got " + value
                    + " (set it in the train: section or with --set " + key + "=...)");
        }
    }
}
