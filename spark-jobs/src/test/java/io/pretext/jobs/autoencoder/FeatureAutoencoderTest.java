package io.pretext.jobs.autoencoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.jobs.Pretext;
import io.pretext.zoo.autoencoder.Autoencoder;
import io.pretext.zoo.autoencoder.AutoencoderConfig;
import io.pretext.zoo.autoencoder.AutoencoderPreset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An autoencoder of CSV feature rows: rows on a 2-D plane in 6 columns of very different scales, bad rows among
 * them. The standardisation fitted on the training rows is saved and applied again when scoring and embedding.
 */
class FeatureAutoencoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER = "id,label,a,b,c,d,e,f";
    /** Column scales and offsets: standardisation must undo them. */
    private static final double[] SCALE = {1, 10, 100, 0.1, 5, 1000};
    private static final double[] OFFSET = {0, -50, 300, 2, 0, 1e4};
    private static final int ROWS = 200;

    @TempDir
    static Path dir;
    static Path train;
    static Path anomalies;
    static Path run;
    /** The usable training rows, in file order. */
    static final List<double[]> GOOD = new ArrayList<>();

    @BeforeAll
    static void pretrainOnFeatureRows() throws Exception {
        Random random = new Random(7);
        List<String> lines = new ArrayList<>(List.of(HEADER));
        for (int i = 0; i < ROWS; i++) {
            double[] row = onPlane(random.nextGaussian(), random.nextGaussian(), random);
            GOOD.add(row);
            lines.add(line("r" + i, "normal", row));
        }
        lines.add("bad-text,normal,1,abc,3,4,5,6");
        lines.add("bad-missing,normal,1,,3,4,5,6");
        lines.add("bad-fields,normal,1,2");
        train = Files.createDirectories(dir.resolve("train")).resolve("rows.csv");
        Files.write(train, lines);

        List<String> odd = new ArrayList<>(List.of(HEADER));
        for (int i = 0; i < 40; i++) {
            double[] row = new double[6]; // every column drawn on its own: off the plane, same marginal scale
            for (int c = 0; c < 6; c++) {
                row[c] = onPlane(random.nextGaussian(), random.nextGaussian(), random)[c];
            }
            odd.add(line("odd" + i, "anomaly", row));
        }
        anomalies = Files.createDirectories(dir.resolve("anomalies")).resolve("rows.csv");
        Files.write(anomalies, odd);

        run = dir.resolve("run");
        assertEquals(0, Pretext.run("pretrain", "ae", "--preset", "ae-tabular", "--data", train.toString(),
                "--out", run.toString(), "--master", "local[2]", "--set", "model.hiddenSizes=[16]",
                "--set", "model.latentSize=2", "--set", "train.workers=2", "--set", "train.batchSize=20",
                "--set", "train.averagingFrequency=5", "--set", "train.epochs=20", "--set", "train.logEverySteps=5",
                "--set", "optimizer.learningRate=0.01"));
    }

    /** A point of the plane spanned by two directions, scaled and shifted per column, with a little noise. */
    private static double[] onPlane(double u, double v, Random random) {
        double[] unit = {u, v, u + v, u - v, 0.5 * u + 2 * v, -u + 0.3 * v};
        double[] row = new double[6];
        for (int c = 0; c < 6; c++) {
            row[c] = OFFSET[c] + SCALE[c] * (unit[c] + 0.05 * random.nextGaussian());
        }
        return row;
    }

    private static String line(String id, String label, double[] values) {
        StringBuilder b = new StringBuilder(id).append(',').append(label);
        for (double v : values) {
            b.append(',').append(String.format(Locale.ROOT, "%.6f", v));
        }
        return b.toString();
    }

    static List<Row> parquet(Path path) {
        SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
        try {
            return spark.read().parquet(path.toString()).collectAsList();
        } finally {
            spark.stop();
        }
    }

    /** Population mean and std per column of the good rows, as the values were written (6 decimals). */
    private static double[][] moments() {
        double[] mean = new double[6];
        double[] std = new double[6];
        for (double[] row : GOOD) {
            for (int c = 0; c < 6; c++) {
                mean[c] += written(row[c]) / ROWS;
            }
        }
        for (double[] row : GOOD) {
            for (int c = 0; c < 6; c++) {
                std[c] += Math.pow(written(row[c]) - mean[c], 2) / ROWS;
            }
        }
        for (int c = 0; c < 6; c++) {
            std[c] = Math.sqrt(std[c]);
        }
        return new double[][]{mean, std};
    }

    private static double written(double v) {
        return (float) Double.parseDouble(String.format(Locale.ROOT, "%.6f", v));
    }

    @Test
    void countsBadRowsByReasonAndTrainsOnTheRest() throws Exception {
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals(ROWS + 3, summary.get("recordsRead").asLong());
        assertEquals(ROWS, summary.get("recordsUsed").asLong());
        JsonNode rejected = summary.get("rejected");
        for (String reason : List.of("malformed_row", "unparseable", "missing_value")) {
            assertEquals(1, rejected.get(reason).asLong(), reason);
        }
        assertEquals(3, Files.readAllLines(run.resolve("rejected.jsonl")).size());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        double first = JSON.readTree(lines.get(0)).get("loss").asDouble();
        double last = JSON.readTree(lines.get(lines.size() - 1)).get("loss").asDouble();
        assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
    }

    @Test
    void savesTheStandardisationOfTheTrainingRows() throws Exception {
        JsonNode stats = JSON.readTree(run.resolve(TrainedAutoencoder.FEATURE_STATS).toFile());
        assertEquals(List.of("a", "b", "c", "d", "e", "f"),
                JSON.convertValue(stats.get("columns"), List.class));
        double[][] expected = moments();
        for (int c = 0; c < 6; c++) {
            assertEquals(expected[0][c], stats.get("mean").get(c).asDouble(), 1e-6 * Math.max(1, SCALE[c]), "mean");
            assertEquals(expected[1][c], stats.get("std").get(c).asDouble(), 1e-6 * Math.max(1, SCALE[c]), "std");
            assertEquals(ROWS, stats.get("count").get(c).asLong());
        }
    }

    @Test
    void scoresStandardisedRowsWithTheSavedStatistics() throws Exception {
        Path out = dir.resolve("scores");
        assertEquals(0, Pretext.run("score", "--model", run.toString(), "--input", train.toString(),
                "--output", out.toString(), "--master", "local[2]"));
        List<Row> rows = parquet(out);
        assertEquals(ROWS, rows.size());
        Row r7 = rows.stream().filter(r -> r.getString(0).equals("r7")).findFirst().orElseThrow();

        double[][] moments = moments();
        float[] z = new float[6];
        for (int c = 0; c < 6; c++) {
            z[c] = (float) ((written(GOOD.get(7)[c]) - moments[0][c]) / moments[1][c]);
        }
        AutoencoderConfig tabular = AutoencoderPreset.AE_TABULAR.config();
        AutoencoderConfig model = new AutoencoderConfig("ae", "dense", List.of(6), List.of(16), List.of(), 2, "mse",
                "identity", tabular.beta(), 0, tabular.weightInit(), tabular.seed());
        ComputationGraph graph = ModelSerializer.restoreComputationGraph(run.resolve("model.zip").toFile(), false);
        double expected = Autoencoder.reconstructionError(graph, model,
                Nd4j.create(z, new long[]{1, 6}, 'c').castTo(DataType.FLOAT)).getDouble(0);
        assertEquals(expected, r7.getDouble(2), 1e-4 * Math.max(1, expected));
    }

    @Test
    void embedsRowsAsTheirCodes() {
        Path out = dir.resolve("embeddings");
        assertEquals(0, Pretext.run("embed", "--model", run.toString(), "--input", train.toString(),
                "--output", out.toString(), "--master", "local[2]"));
        List<Row> rows = parquet(out);
        assertEquals(ROWS, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.getList(2).size() == 2 && "normal".equals(r.getString(1))));
    }

    @Test
    void separatesRowsOffThePlaneFromRowsOnIt() throws Exception {
        assertEquals(0, Pretext.run("evaluate", "anomaly", "--model", run.toString(), "--normal", train.toString(),
                "--anomalous", anomalies.toString(), "--master", "local[2]"));
        JsonNode eval = JSON.readTree(run.resolve("eval").resolve("anomaly.json").toFile());
        assertTrue(eval.get("auroc").asDouble() > 0.9, "auroc " + eval.get("auroc"));
        assertTrue(eval.get("baselineAuroc").asDouble() > 0.9, "PCA auroc " + eval.get("baselineAuroc"));
        assertEquals(2, eval.get("components").asInt());
    }

    @Test
    void refusesToReconstructFeatureRowsAsImages() {
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), "reconstruct", "--model", run.toString(),
                "--input", train.toString(), "--out", dir.resolve("r.png").toString(), "--master", "local[2]"));
        assertTrue(err.toString().contains("reconstruct needs an image model"), err.toString());
    }
}
