package io.pretext.jobs.train;

import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.Serializable;
import java.util.List;

/**
 * What one model family contributes to training on Spark. Instances are shipped to executors, so they hold only
 * serialisable settings; heavy helpers (augmenters, tokenizers) are built lazily once per executor JVM.
 *
 * @param <R> the record type of the training data, e.g. a decoded image
 */
public interface TrainingTask<R> extends Serializable {

    /** The ComputationGraph configuration as JSON; executors build graphs from it and reuse them across rounds. */
    String graphJson();

    /** A stable id of a record; sharding and the per-epoch shuffle hash it. */
    String id(R record);

    /**
     * One worker minibatch: features and labels for one optimiser step, e.g. two augmented views of each image.
     * Runs in executors; deterministic in (records, seed, epoch).
     */
    MultiDataSet batch(List<R> records, long seed, int epoch);
}
