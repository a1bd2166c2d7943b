package io.pretext.jobs.autoencoder;

import io.pretext.data.corrupt.Corruption;
import io.pretext.jobs.pretrain.LearningRates;
import io.pretext.jobs.pretrain.PretrainSpec;
import io.pretext.jobs.report.ReportSection;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.jobs.train.TrainingConfig;
import io.pretext.jobs.train.TrainingTask;
import io.pretext.zoo.autoencoder.Autoencoder;
import io.pretext.zoo.autoencoder.AutoencoderConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.function.LongToDoubleFunction;

/**
 * Autoencoder pretraining (ae, dae, vae) on images or feature rows: reconstruction training with parameter
 * averaging, then the encoder alone ({@code encoder.zip}: the bottleneck code, or the vae's posterior mean) and the
 * anomaly threshold fitted on the training records' scores ({@link AnomalyThreshold#FILE}).
 *
 * @param <R> the record type
 */
public abstract class AutoencoderSpec<R> implements PretrainSpec<R> {

    private static final Logger log = LoggerFactory.getLogger(AutoencoderSpec.class);

    final AutoencoderRunConfig config;
    final String dataPath;
    private SparkSession spark;
    private JavaRDD<R> records;
    private AnomalyThreshold threshold;

    AutoencoderSpec(AutoencoderRunConfig config, String dataPath) {
        this.config = config;
        this.dataPath = dataPath;
    }

    /** The spec for the run's data: images when {@code model.inputShape} is an image shape, else feature rows. */
    public static PretrainSpec<?> of(AutoencoderRunConfig config, String dataPath) {
        return config.isImage() ? new ImageAutoencoderSpec(config, dataPath)
                : new FeatureAutoencoderSpec(config, dataPath);
    }

    /** The model configuration with its input shape known (for feature data: once the data is read). */
    abstract AutoencoderConfig autoencoder();

    /** How records become input batches. */
    abstract AutoencoderInput<R> input();

    /** Reads the training data (see {@link PretrainSpec#load}). */
    abstract LoadedData<R> read(SparkSession spark, RunDirectory run);

    /** The report sections drawn from the trained graph. */
    abstract List<ReportSection> trainedSections(JavaRDD<R> records, ComputationGraph graph, AnomalyThreshold fitted);

    public AutoencoderRunConfig config() {
        return config;
    }

    @Override
    public String model() {
        return config.kind();
    }

    @Override
    public String resolvedConfigYaml() {
        return config.toYaml();
    }

    @Override
    public TrainingConfig training() {
        return config.train();
    }

    @Override
    public final LoadedData<R> load(SparkSession spark, RunDirectory run) {
        LoadedData<R> data = read(spark, run);
        this.spark = spark;
        this.records = data.records();
        return data;
    }

    @Override
    public ComputationGraph newGraph(long totalSteps) {
        return Autoencoder.init(autoencoder(), config.optimizer().withTotalSteps(totalSteps));
    }

    @Override
    public TrainingTask<R> task(ComputationGraph graph) {
        return new AutoencoderTask<>(graph.getConfiguration().toJson(), autoencoder(), input(),
                new Corruption(config.corrupt()));
    }

    @Override
    public LongToDoubleFunction learningRate(ComputationGraph graph) {
        return LearningRates.of(graph);
    }

    /** {@code encoder.zip}, then the anomaly threshold from the training records' scores under {@code trained}. */
    @Override
    public void exportExtras(RunDirectory run, ComputationGraph trained) {
        ComputationGraph encoder = Autoencoder.encoderOnly(trained, autoencoder());
        run.writeAtomically(RunDirectory.ENCODER, out -> ModelSerializer.writeModel(encoder, out, false));

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        double quantile = config.eval().anomalyQuantile();
        sc.setJobDescription("score the training data: anomaly threshold at quantile " + quantile);
        AnomalyScorer scorer = new AnomalyScorer(sc, trained, autoencoder(), config.eval().batchSize());
        try {
            threshold = AnomalyThreshold.fit(scorer.score(records, input()), quantile,
                    autoencoder().isVariational());
        } finally {
            scorer.destroy();
        }
        run.writeString(AnomalyThreshold.FILE, threshold.toJson());
        log.info(String.format(Locale.ROOT, "anomaly threshold: reconstruction error %.6g at quantile %s of %d "
                        + "training records%s", threshold.score().threshold(), quantile, threshold.records(),
                threshold.negElbo() == null ? ""
                        : String.format(Locale.ROOT, "; negative ELBO %.6g", threshold.negElbo().threshold())));
    }

    /** After training: the family's sections (reconstructions, samples, the score distribution). */
    @Override
    public List<ReportSection> reportSections(SparkSession spark, JavaRDD<R> records, ComputationGraph graph,
                                              boolean trained) {
        return trained && threshold != null ? trainedSections(records, graph, threshold) : List.of();
    }
}
