package io.pretext.jobs.autoencoder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.jobs.embed.Embeddings;
import io.pretext.jobs.storage.HadoopPaths;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * {@code pretext score} output: one Parquet row per usable record, {@code id} (string), {@code label} (string,
 * null when unlabelled), {@code score} (double, the reconstruction error), {@code is_anomaly} (boolean,
 * {@code score} above the run's saved threshold) and, for vae, {@code neg_elbo} (double, nats). Written to a
 * temporary sibling and renamed into place, so no partial output appears.
 */
public final class AnomalyScores {

    /** The flag column. */
    public static final String IS_ANOMALY = "is_anomaly";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnomalyScores() {
    }

    /**
     * @throws IllegalArgumentException when {@code output} already exists
     */
    public static void requireNewOutput(String output) throws IOException {
        var path = HadoopPaths.of(output);
        if (HadoopPaths.fileSystem(path).exists(path)) {
            throw new IllegalArgumentException("--output " + output + " already exists (choose a new path)");
        }
    }

    /** Scores {@code input} in the executors and writes the Parquet; returns what was written, for the log. */
    public static ObjectNode write(SparkSession spark, TrainedAutoencoder model, String input, String output) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        AnomalyThreshold threshold = model.threshold();
        sc.setJobDescription("score: read " + input);
        RunData<?> data = model.read(spark, input);
        AnomalyScorer scorer = new AnomalyScorer(sc, model.graph(), model.model(),
                model.config().eval().batchSize());
        long rows;
        long anomalies;
        try {
            sc.setJobDescription("score records under " + input + " and write " + output);
            Dataset<Row> scored = table(spark, scorer, data, threshold.score().threshold(),
                    model.model().isVariational());
            rows = Embeddings.write(scored, output);
            anomalies = spark.read().parquet(HadoopPaths.qualified(output)).filter(col(IS_ANOMALY)).count();
        } finally {
            scorer.destroy();
            data.release().run();
        }
        ObjectNode summary = JSON.createObjectNode();
        summary.put("model", model.run().root().toString());
        summary.put("input", input);
        summary.put("output", HadoopPaths.qualified(output));
        summary.put("rows", rows);
        summary.put("anomalies", anomalies);
        summary.put("threshold", threshold.score().threshold());
        summary.put("quantile", threshold.quantile());
        summary.put("read", data.read());
        summary.set("rejected", JSON.valueToTree(data.rejected()));
        return summary;
    }

    private static <R> Dataset<Row> table(SparkSession spark, AnomalyScorer scorer, RunData<R> data, double threshold,
                                          boolean variational) {
        Dataset<Row> scores = spark.createDataFrame(scorer.score(data.records(), data.input()), AnomalyScorer.SCHEMA)
                .withColumn(IS_ANOMALY, col(AnomalyScorer.SCORE).gt(threshold));
        List<Column> columns = new ArrayList<>(List.of(col("id"), col("label"), col(AnomalyScorer.SCORE),
                col(IS_ANOMALY)));
        if (variational) {
            columns.add(col(AnomalyScorer.NEG_ELBO));
        }
        return scores.select(columns.toArray(Column[]::new));
    }
}
