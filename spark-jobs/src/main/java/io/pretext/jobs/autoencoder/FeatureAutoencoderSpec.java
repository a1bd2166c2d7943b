package io.pretext.jobs.autoencoder;

import io.pretext.data.features.FeatureCorpus;
import io.pretext.data.features.FeatureRecord;
import io.pretext.data.features.FeatureReport;
import io.pretext.data.features.FeatureStats;
import io.pretext.jobs.pretrain.DataFingerprint;
import io.pretext.jobs.pretrain.RejectLog;
import io.pretext.jobs.report.ReportSection;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.zoo.autoencoder.AutoencoderConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An autoencoder of numeric feature rows (CSV or Parquet): the model's input is {@code [columns]}, every row
 * standardised by statistics fitted on the training rows with one Spark action and saved as
 * {@link TrainedAutoencoder#FEATURE_STATS}, which scoring and embedding apply again.
 */
final class FeatureAutoencoderSpec extends AutoencoderSpec<FeatureRecord> {

    private static final Logger log = LoggerFactory.getLogger(FeatureAutoencoderSpec.class);

    private AutoencoderConfig autoencoder;
    private FeatureStats stats;

    FeatureAutoencoderSpec(AutoencoderRunConfig config, String dataPath) {
        super(config, dataPath);
    }

    @Override
    public String exampleUnit() {
        return "rows";
    }

    @Override
    AutoencoderConfig autoencoder() {
        if (autoencoder == null) {
            throw new IllegalStateException("the feature columns are known once the data is read");
        }
        return autoencoder;
    }

    @Override
    AutoencoderInput<FeatureRecord> input() {
        return AutoencoderInput.features(stats);
    }

    @Override
    LoadedData<FeatureRecord> read(SparkSession spark, RunDirectory run) {
        spark.sparkContext().setJobDescription("read feature rows from " + dataPath);
        FeatureCorpus corpus = FeatureCorpus.open(spark, dataPath, config.featureData());
        List<String> columns = corpus.columns();
        AutoencoderConfig declared = config.model();
        if (declared.hasInputShape() && declared.inputShape().get(0) != columns.size()) {
            throw new IllegalArgumentException("model.inputShape is " + declared.inputShape() + " but " + dataPath
                    + " has " + columns.size() + " feature columns " + columns + " (set model.inputShape: [] to "
                    + "take it from the data, or choose the columns with data.columns)");
        }
        autoencoder = declared.withInputShape(List.of(columns.size()));

        FeatureReport report = corpus.rejects();
        RejectLog.write(run, report.samples().stream()
                .map(i -> new RejectLog.Entry(i.id(), i.reason().key(), i.detail())).toList());
        boolean imputes = config.featureData().imputesMissing();
        Map<String, Long> rejected = new LinkedHashMap<>();
        Map<String, Long> imputed = new LinkedHashMap<>();
        report.counts().forEach((reason, n) -> (reason.rejects(imputes) ? rejected : imputed).put(reason.key(), n));
        if (report.rejected() > 0) {
            log.warn("rejected {} of {} rows: {} (first issues listed in {})", report.rejected(), report.read(),
                    rejected, run.path(RunDirectory.REJECTED));
        }
        if (!imputed.isEmpty()) {
            log.info("rows kept with values replaced by the column mean (data.missing: mean): {}", imputed);
        }
        corpus.requireUsable();
        stats = FeatureStats.compute(corpus);
        run.writeString(TrainedAutoencoder.FEATURE_STATS, stats.toJson());
        long count = corpus.count();
        String fingerprint = DataFingerprint.of(corpus.records().map(FeatureRecord::id), count);
        return new LoadedData<>(corpus.records(), count, report.read(), rejected, fingerprint);
    }

    @Override
    List<ReportSection> trainedSections(JavaRDD<FeatureRecord> records, ComputationGraph graph,
                                        AnomalyThreshold threshold) {
        return List.of(AutoencoderReport.scores(threshold, autoencoder()));
    }
}
