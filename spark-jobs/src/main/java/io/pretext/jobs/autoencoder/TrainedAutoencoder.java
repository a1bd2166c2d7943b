package io.pretext.jobs.autoencoder;

import io.pretext.data.features.FeatureCorpus;
import io.pretext.data.features.FeatureDataConfig;
import io.pretext.data.features.FeatureRecord;
import io.pretext.data.features.FeatureReport;
import io.pretext.data.features.FeatureStats;
import io.pretext.data.image.ImageCorpus;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.RejectReport;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.eval.ProbeEvaluation;
import io.pretext.jobs.pretrain.RunManifest;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.zoo.autoencoder.Autoencoder;
import io.pretext.zoo.autoencoder.AutoencoderConfig;
import io.pretext.zoo.optim.OptimizerConfig;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished autoencoder run as scoring, embedding, sampling and evaluation use it: its resolved configuration
 * (with {@code eval.*} overrides), the trained graph, the encoder, the feature statistics of a feature run and the
 * anomaly threshold. Reading it runs no Spark work.
 */
public final class TrainedAutoencoder {

    /** The standardisation statistics of a feature run, fitted on its training rows. */
    public static final String FEATURE_STATS = "feature-stats.json";

    private static final Logger log = LoggerFactory.getLogger(TrainedAutoencoder.class);

    private final RunDirectory run;
    private final RunManifest manifest;
    private final AutoencoderRunConfig config;
    private final AutoencoderConfig model;
    private final FeatureStats stats;
    private ComputationGraph graph;

    private TrainedAutoencoder(RunDirectory run, RunManifest manifest, AutoencoderRunConfig config,
                               AutoencoderConfig model, FeatureStats stats) {
        this.run = run;
        this.manifest = manifest;
        this.config = config;
        this.model = model;
        this.stats = stats;
    }

    /** Whether a run's model family (its manifest's {@code model}) is an autoencoder. */
    public static boolean isAutoencoder(String family) {
        return AutoencoderRunConfig.KINDS.contains(family);
    }

    /**
     * @param evalSets {@code eval.key=value} overrides; the rest is the run's own {@code config.yaml}
     * @throws IllegalArgumentException when the run is not a finished autoencoder run, or a set is not eval.*
     */
    public static TrainedAutoencoder load(RunDirectory run, List<String> evalSets) {
        RunManifest manifest = RunManifest.read(run);
        String kind = manifest.model();
        if (!isAutoencoder(kind)) {
            throw new IllegalArgumentException(run + " is a " + kind + " run, not an autoencoder run (ae, dae, vae)");
        }
        for (String set : evalSets) {
            if (!set.startsWith("eval.")) {
                throw new IllegalArgumentException("--set " + set + ": only eval.* settings can change after "
                        + "training; the rest is the run's own config.yaml");
            }
        }
        String file = run.path(RunDirectory.CONFIG).toString();
        AutoencoderRunConfig config = AutoencoderRunConfig.resolve(
                ConfigSource.load(AutoencoderRunConfig.sections(kind), Map.of(), file, evalSets), kind);
        if (!run.exists(RunDirectory.MODEL)) {
            throw new IllegalArgumentException(run + " has no " + RunDirectory.MODEL
                    + " (the run did not finish; --resume it first)");
        }
        FeatureStats stats = null;
        AutoencoderConfig model = config.model();
        if (!config.isImage()) {
            if (!run.exists(FEATURE_STATS)) {
                throw new IllegalArgumentException(run + " is a feature run without " + FEATURE_STATS
                        + " (the run did not read its data; --resume it first)");
            }
            stats = FeatureStats.fromJson(run.readString(FEATURE_STATS));
            model = model.withInputShape(List.of(stats.columns().size()));
        }
        return new TrainedAutoencoder(run, manifest, config, model, stats);
    }

    public RunDirectory run() {
        return run;
    }

    public RunManifest manifest() {
        return manifest;
    }

    public AutoencoderRunConfig config() {
        return config;
    }

    /** The model configuration with its input shape. */
    public AutoencoderConfig model() {
        return model;
    }

    /** The standardisation of a feature run, or null for an image run. */
    public FeatureStats stats() {
        return stats;
    }

    public boolean isImage() {
        return config.isImage();
    }

    /** The trained graph ({@code model.zip}, without updater state). */
    public synchronized ComputationGraph graph() {
        if (graph == null) {
            graph = restore(RunDirectory.MODEL);
        }
        return graph;
    }

    /** The exported encoder ({@code encoder.zip}): input to code (ae, dae) or posterior mean (vae). */
    public ComputationGraph encoder() {
        return run.exists(RunDirectory.ENCODER) ? restore(RunDirectory.ENCODER)
                : Autoencoder.encoderOnly(graph(), model);
    }

    /** The same architecture's encoder at the weights training started from (they follow model.seed only). */
    public ComputationGraph randomInitEncoder() {
        OptimizerConfig fixed = new OptimizerConfig("sgd", 0.1, 0, false, 0, 0, 0, 1, "constant");
        return Autoencoder.encoderOnly(Autoencoder.init(model, fixed), model);
    }

    /** The threshold saved at the end of training. */
    public AnomalyThreshold threshold() {
        return AnomalyThreshold.read(run);
    }

    /**
     * The pretrained and random-init encoders for the image probes.
     *
     * @param command the evaluation, for the message when this is a feature run
     */
    public ProbeEvaluation.Encoders probeEncoders(String command) {
        requireImages(command);
        return new ProbeEvaluation.Encoders(encoder(), randomInitEncoder(), config.imageData());
    }

    /**
     * @throws IllegalArgumentException naming {@code command} when this run is not an image model
     */
    public void requireImages(String command) {
        if (!isImage()) {
            throw new IllegalArgumentException(command + " needs an image model; " + run + " is a " + config.kind()
                    + " run of feature rows (model.inputShape " + model.inputShape() + ")");
        }
    }

    /**
     * Reads a corpus the way the run read its training data: images decoded to the run's size, or feature rows with
     * the training columns, to be standardised by the training statistics. Rejects are counted and logged; a corpus
     * with nothing usable fails.
     */
    public RunData<?> read(SparkSession spark, String path) {
        return isImage() ? readImages(spark, path) : readFeatures(spark, path);
    }

    private RunData<ImageRecord> readImages(SparkSession spark, String path) {
        ImageCorpus corpus = ImageCorpus.open(spark, path, config.imageData().withFormat("auto")).requireUsable();
        RejectReport report = corpus.rejects();
        Map<String, Long> rejected = new LinkedHashMap<>();
        report.counts().forEach((reason, n) -> rejected.put(reason.key(), n));
        if (report.rejected() > 0) {
            log.warn("{}: rejected {} of {} inputs: {}", path, report.rejected(), report.read(), report.countsText());
        }
        return new RunData<>(path, corpus.records(), AutoencoderInput.images(), report.read(), report.usable(),
                rejected, corpus::unpersist);
    }

    private RunData<FeatureRecord> readFeatures(SparkSession spark, String path) {
        FeatureDataConfig d = config.featureData();
        FeatureDataConfig columns = new FeatureDataConfig("auto", stats.columns(), d.idColumn(), d.labelColumn(),
                d.missing(), d.delimiter(), d.stdFloor(), d.partitions(), d.rejectSampleSize());
        FeatureCorpus corpus = FeatureCorpus.open(spark, path, columns);
        stats.requireColumns(corpus.columns());
        corpus.requireUsable();
        FeatureReport report = corpus.rejects();
        Map<String, Long> rejected = new LinkedHashMap<>();
        report.counts().forEach((reason, n) -> {
            if (reason.rejects(d.imputesMissing())) {
                rejected.put(reason.key(), n);
            }
        });
        if (report.rejected() > 0) {
            log.warn("{}: rejected {} of {} rows: {}", path, report.rejected(), report.read(), rejected);
        }
        return new RunData<>(path, corpus.records(), AutoencoderInput.features(stats), report.read(), report.usable(),
                rejected, corpus::unpersist);
    }

    private ComputationGraph restore(String file) {
        try (InputStream in = run.openInput(file)) {
            return ModelSerializer.restoreComputationGraph(in, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + run.path(file), e);
        }
    }
}
