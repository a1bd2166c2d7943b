package io.pretext.jobs.autoencoder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.util.StatCounter;
import scala.Tuple2;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code RUN_DIR/anomaly-threshold.json}: the distribution of the anomaly scores of the training records under the
 * final model, and the threshold above which {@code pretext score} calls a record an anomaly, the
 * {@code eval.anomalyQuantile} quantile of the training scores. Quantiles are exact, by nearest rank: the value at
 * position {@code ceil(q n)} of the n sorted scores, so at most {@code (1 - q) n} training records lie above the
 * threshold.
 *
 * @param quantile the quantile the thresholds are at
 * @param records  training records scored
 * @param score    the reconstruction error's distribution (every kind)
 * @param negElbo  the negative ELBO's distribution (vae), or null
 */
public record AnomalyThreshold(double quantile, long records, Distribution score, Distribution negElbo) {

    public static final String FILE = "anomaly-threshold.json";

    /** Quantiles every distribution lists besides the threshold's. */
    static final List<Double> LISTED = List.of(0.5, 0.9, 0.95, 0.99, 0.999);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One score's distribution over the training records.
     *
     * @param threshold the value at {@link #quantile}
     * @param quantiles value per quantile, keys such as {@code "0.99"}
     */
    public record Distribution(double threshold, double mean, double min, double max, Map<String, Double> quantiles) {
    }

    /**
     * Fits the thresholds on scored training records (rows of {@link AnomalyScorer#SCHEMA}) with Spark actions:
     * summary statistics and one sort per score.
     */
    static AnomalyThreshold fit(JavaRDD<Row> scored, double quantile, boolean variational) {
        JavaRDD<Row> rows = scored.cache();
        try {
            Distribution score = distribution(rows.map(r -> r.getDouble(2)), quantile);
            Distribution negElbo = variational ? distribution(rows.map(r -> r.getDouble(3)), quantile) : null;
            return new AnomalyThreshold(quantile, rows.count(), score, negElbo);
        } finally {
            rows.unpersist(false);
        }
    }

    private static Distribution distribution(JavaRDD<Double> values, double quantile) {
        StatCounter stats = values.mapToDouble(v -> v).stats();
        Set<Double> wanted = new TreeSet<>(LISTED);
        wanted.add(quantile);
        Map<Double, Double> at = quantiles(values, stats.count(), wanted);
        Map<String, Double> listed = new LinkedHashMap<>();
        at.forEach((q, v) -> listed.put(key(q), v));
        return new Distribution(at.get(quantile), stats.mean(), stats.min(), stats.max(), listed);
    }

    /** Exact nearest-rank quantiles of {@code count} values: one sort. */
    static Map<Double, Double> quantiles(JavaRDD<Double> values, long count, Set<Double> qs) {
        if (count == 0) {
            throw new IllegalArgumentException("quantiles of no values");
        }
        Map<Long, Double> rankToQuantile = new HashMap<>();
        for (double q : qs) {
            rankToQuantile.put(rank(q, count), q);
        }
        Set<Long> ranks = Set.copyOf(rankToQuantile.keySet());
        List<Tuple2<Double, Long>> found = values.sortBy(v -> v, true, values.getNumPartitions()).zipWithIndex()
                .filter(t -> ranks.contains(t._2())).collect();
        Map<Long, Double> byRank = new HashMap<>();
        found.forEach(t -> byRank.put(t._2(), t._1()));
        Map<Double, Double> out = new TreeMap<>();
        for (double q : qs) {
            out.put(q, byRank.get(rank(q, count)));
        }
        return out;
    }

    /** The 0-based position of the nearest-rank q-quantile among n sorted values. */
    static long rank(double q, long n) {
        return Math.max(0, Math.min(n - 1, (long) Math.ceil(q * n) - 1));
    }

    private static String key(double q) {
        String s = String.format(Locale.ROOT, "%.6f", q).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }

    /** Whether a reconstruction error is above the threshold. */
    public boolean isAnomaly(double reconstructionError) {
        return reconstructionError > score.threshold();
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The threshold a finished run saved.
     *
     * @throws IllegalArgumentException when the run has none (it did not finish)
     */
    public static AnomalyThreshold read(RunDirectory run) {
        if (!run.exists(FILE)) {
            throw new IllegalArgumentException(run + " has no " + FILE + " (the run did not finish; --resume it "
                    + "first)");
        }
        try {
            return JSON.readValue(run.readString(FILE), AnomalyThreshold.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable " + run.path(FILE) + ": " + e.getMessage(), e);
        }
    }
}
