package io.pretext.jobs.autoencoder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code pretext evaluate anomaly}: how well a trained autoencoder's anomaly score separates a normal set from an
 * anomalous one, next to a PCA baseline measured in the same run, written to {@code RUN_DIR/eval/anomaly.json}.
 *
 * <p>Scores: the reconstruction error (every kind) and, for vae, the negative ELBO; the baseline is the PCA
 * reconstruction error with as many components as the model's latent size ({@link PcaBaseline}). The baseline is
 * fitted on the run's training data, never on the evaluation sets: like the autoencoder, it has seen only what the
 * run trained on (up to {@code eval.pcaMaxRecords} records). Metrics: AUROC and average precision with anomalies as
 * the positive class, and at the run's saved threshold the recall (anomalous records flagged) and false-positive
 * rate (normal records flagged).
 */
public final class AnomalyEvaluation {

    /** The evaluation's name: {@code eval/anomaly.json}. */
    public static final String NAME = "anomaly";

    private static final Logger log = LoggerFactory.getLogger(AnomalyEvaluation.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AnomalyEvaluation() {
    }

    /**
     * @param pcaData where the baseline is fitted: the run's training data ({@code manifest.json}'s {@code data}),
     *                or another path when that one has moved
     */
    public static ObjectNode run(SparkSession spark, TrainedAutoencoder model, String normalPath,
                                 String anomalousPath, String pcaData) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        AutoencoderEvalConfig eval = model.config().eval();
        AnomalyThreshold threshold = model.threshold();
        sc.setJobDescription("evaluate anomaly: read normal records " + normalPath);
        RunData<?> normal = model.read(spark, normalPath);
        sc.setJobDescription("evaluate anomaly: read anomalous records " + anomalousPath);
        RunData<?> anomalous = model.read(spark, anomalousPath);

        AnomalyScorer scorer = new AnomalyScorer(sc, model.graph(), model.model(), eval.batchSize());
        double[][] normalScores;
        double[][] anomalousScores;
        try {
            sc.setJobDescription("evaluate anomaly: score the normal records");
            normalScores = scores(scorer, normal);
            sc.setJobDescription("evaluate anomaly: score the anomalous records");
            anomalousScores = scores(scorer, anomalous);
        } finally {
            scorer.destroy();
        }

        sc.setJobDescription("evaluate anomaly: PCA baseline fitted on " + pcaData);
        RunData<?> fitData = model.read(spark, pcaData);
        PcaBaseline pca;
        double[] normalPca;
        double[] anomalousPca;
        try {
            pca = PcaBaseline.fit(fitData, model.model().latentSize(), eval.pcaMaxRecords(), eval.batchSize());
            sc.setJobDescription("evaluate anomaly: PCA reconstruction errors");
            normalPca = pcaErrors(pca, normal, eval.batchSize());
            anomalousPca = pcaErrors(pca, anomalous, eval.batchSize());
        } finally {
            fitData.release().run();
        }

        ObjectNode result = JSON.createObjectNode();
        result.put("evaluation", NAME);
        result.put("model", model.run().root().toString());
        result.put("kind", model.config().kind());
        result.put("normal", normalPath);
        result.put("anomalous", anomalousPath);
        result.put("normalRecords", normalScores[0].length);
        result.put("anomalousRecords", anomalousScores[0].length);
        result.put("score", "reconstruction error (mean " + model.model().reconstructionLoss() + " per value)");
        result.put("baseline", "PCA, " + pca.components() + " components");
        result.put("components", pca.components());
        result.put("pcaData", pcaData);
        result.put("pcaFitRecords", pca.fitRecords());
        result.put("auroc", AnomalyMetrics.auroc(normalScores[0], anomalousScores[0]));
        result.put("baselineAuroc", AnomalyMetrics.auroc(normalPca, anomalousPca));
        result.put("averagePrecision", AnomalyMetrics.averagePrecision(normalScores[0], anomalousScores[0]));
        result.put("baselineAveragePrecision", AnomalyMetrics.averagePrecision(normalPca, anomalousPca));
        if (model.model().isVariational()) {
            result.put("negElboAuroc", AnomalyMetrics.auroc(normalScores[1], anomalousScores[1]));
            result.put("negElboAveragePrecision", AnomalyMetrics.averagePrecision(normalScores[1],
                    anomalousScores[1]));
        }
        double t = threshold.score().threshold();
        result.put("threshold", t);
        result.put("quantile", threshold.quantile());
        result.put("recallAtThreshold", AnomalyMetrics.fractionAbove(anomalousScores[0], t));
        result.put("falsePositiveRateAtThreshold", AnomalyMetrics.fractionAbove(normalScores[0], t));
        result.put("evaluatedAt", Instant.now().toString());
        log.info(String.format(Locale.ROOT, "anomaly AUROC %.4f (PCA %.4f), average precision %.4f (PCA %.4f)",
                result.get("auroc").asDouble(), result.get("baselineAuroc").asDouble(),
                result.get("averagePrecision").asDouble(), result.get("baselineAveragePrecision").asDouble()));
        try {
            model.run().writeString(RunDirectory.EVAL + "/" + NAME + ".json", JSON.writeValueAsString(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        normal.release().run();
        anomalous.release().run();
        return result;
    }

    /** {@code [reconstruction errors, negative ELBOs (NaN unless vae)]}, one entry per record. */
    private static <R> double[][] scores(AnomalyScorer scorer, RunData<R> data) {
        List<Row> rows = scorer.score(data.records(), data.input()).collect();
        double[][] out = new double[2][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            out[0][i] = rows.get(i).getDouble(2);
            out[1][i] = rows.get(i).isNullAt(3) ? Double.NaN : rows.get(i).getDouble(3);
        }
        return out;
    }

    private static <R> double[] pcaErrors(PcaBaseline pca, RunData<R> data, int batchSize) {
        return pca.errors(data.records(), data.input(), batchSize).collect().stream().mapToDouble(Double::doubleValue)
                .toArray();
    }
}
