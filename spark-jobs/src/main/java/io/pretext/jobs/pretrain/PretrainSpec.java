package io.pretext.jobs.pretrain;

import io.pretext.jobs.report.ReportSection;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.jobs.train.TrainingConfig;
import io.pretext.jobs.train.TrainingTask;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * What a model family (SimCLR, BERT, autoencoders) plugs into {@link PretrainDriver}: its data, its graph and
 * its training task. The driver owns the run directory, resume, training on Spark, checkpoints and the summary.
 *
 * @param <R> the training record type
 */
public interface PretrainSpec<R> {

    /** The model family as named on the command line, e.g. {@code simclr}. */
    String model();

    /** What one training example is called in progress lines, e.g. {@code images}. */
    String exampleUnit();

    /** The fully resolved configuration as YAML (written to {@code config.yaml} before training). */
    String resolvedConfigYaml();

    TrainingConfig training();

    /**
     * Reads and validates the training data in the executors, writes {@code rejected.jsonl}, fails when nothing
     * usable remains, and returns the usable records persisted.
     */
    LoadedData<R> load(SparkSession spark, RunDirectory run);

    /** A freshly initialised graph whose learning-rate schedule spans {@code totalSteps}. */
    ComputationGraph newGraph(long totalSteps);

    /** The executor-side part of training, for the given graph configuration. */
    TrainingTask<R> task(ComputationGraph graph);

    /** The learning rate at a global step, for metrics. */
    LongToDoubleFunction learningRate(ComputationGraph graph);

    /** Writes what the family exports besides the full model, e.g. the encoder alone. */
    void exportExtras(RunDirectory run, ComputationGraph trained);

    /** What else the run depends on, for {@code manifest.json} (e.g. a vocabulary and its SHA-256). None by default. */
    default java.util.Map<String, String> manifestDetails() {
        return java.util.Map.of();
    }

    /**
     * The family's own sections of {@code report.html}, e.g. SimCLR's training images next to their augmented
     * views. The driver asks at the start of a new run ({@code trained} false: the graph as initialised) and after
     * training ({@code trained} true); sections are stored in the run directory, and one replaces an earlier
     * section with the same id. None by default.
     *
     * @param records the usable training records, persisted
     */
    default List<ReportSection> reportSections(SparkSession spark, JavaRDD<R> records, ComputationGraph graph,
                                               boolean trained) {
        return List.of();
    }

    /**
     * @param records     usable records, persisted
     * @param count       how many
     * @param read        records read in total (usable + rejected)
     * @param rejected    rejects by reason name
     * @param fingerprint {@link DataFingerprint} of the records; a resume on other data is refused
     */
    record LoadedData<R>(JavaRDD<R> records, long count, long read, java.util.Map<String, Long> rejected,
                         String fingerprint) {
    }
}
