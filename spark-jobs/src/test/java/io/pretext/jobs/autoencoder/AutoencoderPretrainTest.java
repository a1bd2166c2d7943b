package io.pretext.jobs.autoencoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleImages;
import io.pretext.jobs.report.ImageGrid;
import io.pretext.zoo.autoencoder.Autoencoder;
import io.pretext.zoo.autoencoder.AutoencoderConfig;
import io.pretext.zoo.autoencoder.AutoencoderPreset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pretext pretrain ae|dae|vae} on real images with two workers on local Spark, then every command that reads
 * an autoencoder run: score, embed, sample, reconstruct, evaluate anomaly and the linear probe.
 */
class AutoencoderPretrainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CLASSES = List.of("trouser", "bag", "sneaker", "dress");
    private static final int LATENT = 8;

    @TempDir
    static Path dir;
    static Path images;
    static Path testImages;
    static Path anomalies;
    static final Map<String, Path> RUNS = new HashMap<>();

    @BeforeAll
    static void pretrainEachKind() throws Exception {
        images = SampleImages.copy("train", CLASSES, 40, dir.resolve("images"));
        Files.writeString(images.resolve("bag").resolve("notes.png"), "not an image");
        testImages = SampleImages.copy("test", CLASSES, 10, dir.resolve("test"));
        anomalies = SampleImages.copy("test", List.of("ankle-boot"), 20, dir.resolve("anomalies"));
        for (String kind : List.of("ae", "dae", "vae")) {
            Path out = dir.resolve("run-" + kind);
            assertEquals(0, Pretext.run(pretrain(kind, out)), kind);
            RUNS.put(kind, out);
        }
    }

    static String[] pretrain(String kind, Path out) {
        return new String[]{"pretrain", kind, "--data", images.toString(), "--out", out.toString(),
            "--master", "local[2]", "--set", "model.hiddenSizes=[64]", "--set", "model.latentSize=" + LATENT,
            "--set", "model.klWarmupSteps=4", "--set", "train.workers=2", "--set", "train.batchSize=16",
            "--set", "train.averagingFrequency=2", "--set", "train.epochs=3", "--set", "train.logEverySteps=1",
            "--set", "train.checkpointEverySteps=6", "--set", "optimizer.learningRate=0.01",
            "--set", "eval.anomalyQuantile=0.9"};
    }

    static List<JsonNode> metrics(Path run) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    static List<Row> parquet(Path path) {
        SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
        try {
            return spark.read().parquet(path.toString()).collectAsList();
        } finally {
            spark.stop();
        }
    }

    static JsonNode json(Path file) throws Exception {
        return JSON.readTree(file.toFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ae", "dae", "vae"})
    void trainsWritesTheRunDirectoryAndTheLossFalls(String kind) throws Exception {
        Path run = RUNS.get(kind);
        for (String file : List.of("config.yaml", "manifest.json", "metrics.jsonl", "rejected.jsonl", "model.zip",
                "encoder.zip", "summary.json", "report.html", "anomaly-threshold.json")) {
            assertTrue(Files.isRegularFile(run.resolve(file)), file);
        }
        JsonNode summary = json(run.resolve("summary.json"));
        assertEquals(kind, summary.get("model").asText());
        assertEquals(160, summary.get("recordsUsed").asLong());
        assertEquals(1, summary.get("rejected").get("not_an_image").asLong());
        assertEquals(15, summary.get("steps").asLong()); // 160 images / (2 workers x 16) = 5 steps, 3 epochs
        assertTrue(Files.isDirectory(run.resolve("checkpoints").resolve("step-000000015")));
        assertEquals(kind.equals("dae"), Files.readString(run.resolve("config.yaml")).contains("corrupt:"));

        List<JsonNode> metrics = metrics(run);
        double first = metrics.get(0).get("loss").asDouble();
        double last = metrics.get(metrics.size() - 1).get("loss").asDouble();
        assertTrue(last < 0.85 * first, kind + " loss " + first + " -> " + last);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ae", "dae", "vae"})
    void exportsTheEncoderOfTheCode(String kind) throws Exception {
        ComputationGraph encoder = ModelSerializer.restoreComputationGraph(
                RUNS.get(kind).resolve("encoder.zip").toFile(), false);
        assertEquals(1, encoder.getConfiguration().getNetworkOutputs().size());
        assertEquals(LATENT, encoder.outputSingle(false, Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28)).size(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ae", "vae"})
    void savesTheThresholdAtTheConfiguredQuantileOfTheTrainingScores(String kind) throws Exception {
        JsonNode threshold = json(RUNS.get(kind).resolve(AnomalyThreshold.FILE));
        assertEquals(0.9, threshold.get("quantile").asDouble());
        assertEquals(160, threshold.get("records").asLong());
        JsonNode score = threshold.get("score");
        assertEquals(score.get("quantiles").get("0.9").asDouble(), score.get("threshold").asDouble());
        assertTrue(score.get("quantiles").get("0.5").asDouble() <= score.get("threshold").asDouble());
        assertTrue(score.get("threshold").asDouble() <= score.get("max").asDouble());
        assertEquals(kind.equals("vae"), !threshold.get("negElbo").isNull());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ae", "vae"})
    void scoresEveryRecordAgainstTheSavedThreshold(String kind) throws Exception {
        Path run = RUNS.get(kind);
        Path out = dir.resolve("scores-" + kind);
        assertEquals(0, Pretext.run("score", "--model", run.toString(), "--input", images.toString(),
                "--output", out.toString(), "--master", "local[2]"));
        double threshold = json(run.resolve(AnomalyThreshold.FILE)).get("score").get("threshold").asDouble();
        List<Row> rows = parquet(out);
        assertEquals(160, rows.size());
        List<String> expected = new ArrayList<>(List.of("id", "label", "score", "is_anomaly"));
        if (kind.equals("vae")) {
            expected.add("neg_elbo");
        }
        assertEquals(expected, Arrays.asList(rows.get(0).schema().fieldNames()));
        long flagged = 0;
        for (Row r : rows) {
            double score = r.getDouble(2);
            assertEquals(score > threshold, r.getBoolean(3), r.getString(0));
            flagged += r.getBoolean(3) ? 1 : 0;
            assertTrue(CLASSES.contains(r.getString(1)), r.getString(1));
            if (kind.equals("vae")) {
                assertTrue(r.getDouble(4) > 0, "negative ELBO " + r.getDouble(4));
            }
        }
        // nearest rank: the 144th smallest of 160 training scores, so 16 lie above (one more if a score moved by an
        // ulp between the two passes)
        assertTrue(flagged >= 15 && flagged <= 17, "flagged " + flagged);
        assertEquals(2, Pretext.run("score", "--model", run.toString(), "--input", images.toString(),
                "--output", out.toString(), "--master", "local[2]"), "an existing output is refused");
    }

    @Test
    void embedsRecordsAsTheirLatentMeans() throws Exception {
        Path run = RUNS.get("vae");
        Path out = dir.resolve("embeddings-vae");
        assertEquals(0, Pretext.run("embed", "--model", run.toString(), "--input", testImages.toString(),
                "--output", out.toString(), "--master", "local[2]"));
        List<Row> rows = parquet(out);
        assertEquals(40, rows.size());
        String trouser = firstFile("trouser");
        Row row = rows.stream().filter(r -> r.getString(0).endsWith("trouser/" + trouser)).findFirst().orElseThrow();
        List<Float> vector = row.getList(2);
        assertEquals(LATENT, vector.size());

        ComputationGraph model = ModelSerializer.restoreComputationGraph(run.resolve("model.zip").toFile(), false);
        AutoencoderConfig preset = AutoencoderPreset.VAE_28.config();
        AutoencoderConfig config = new AutoencoderConfig("vae", "dense", List.of(1, 28, 28), List.of(64), List.of(),
                LATENT, "bce", "sigmoid", preset.beta(), 4, preset.weightInit(), preset.seed());
        BufferedImage image = ImageIO.read(testImages.resolve("trouser").resolve(trouser).toFile());
        float[] pixels = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                pixels[y * 28 + x] = image.getRaster().getSample(x, y, 0) / 255f;
            }
        }
        float[] mean = Autoencoder.encode(model, config, Nd4j.create(pixels, new long[]{1, 1, 28, 28}, 'c'))
                .toFloatVector();
        for (int j = 0; j < LATENT; j++) {
            assertEquals(mean[j], vector.get(j), 1e-4, "latent " + j);
        }
    }

    private static String firstFile(String label) throws Exception {
        try (var files = Files.list(testImages.resolve(label))) {
            return files.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void samplesAPngGridFromTheVaePrior() throws Exception {
        Path out = dir.resolve("samples.png");
        assertEquals(0, Pretext.run("sample", "--model", RUNS.get("vae").toString(), "--n", "10",
                "--out", out.toString()));
        BufferedImage png = ImageIO.read(out.toFile());
        assertNotNull(png);
        ImageGrid grid = ImageGrid.forImages(28, 28, 4, 1, AutoencoderPictures.CELL); // 10 images: 4 a row, 3 rows
        assertEquals(grid.x(3) + grid.cellWidth() + grid.x(0), png.getWidth());
        assertEquals(grid.y(2) + grid.cellHeight() + grid.y(0), png.getHeight());
    }

    @Test
    void refusesToSampleFromAPlainAutoencoder() {
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), "sample", "--model", RUNS.get("ae").toString(),
                "--n", "4", "--out", dir.resolve("ae-samples.png").toString()));
        assertTrue(err.toString().contains("variational"), err.toString());
        assertTrue(Files.notExists(dir.resolve("ae-samples.png")));
    }

    @Test
    void reconstructsInputsNextToTheirReconstructions() throws Exception {
        Path out = dir.resolve("reconstructions.png");
        assertEquals(0, Pretext.run("reconstruct", "--model", RUNS.get("dae").toString(), "--input",
                testImages.toString(), "--n", "6", "--out", out.toString(), "--master", "local[2]"));
        BufferedImage png = ImageIO.read(out.toFile());
        assertNotNull(png);
        ImageGrid grid = ImageGrid.forImages(28, 28, 8, 2, AutoencoderPictures.CELL); // 4 pairs a row, 2 rows
        assertEquals(grid.x(7) + grid.cellWidth() + grid.x(0), png.getWidth());
        assertEquals(grid.y(1) + grid.cellHeight() + grid.y(0), png.getHeight());
    }

    @Test
    void evaluatesAnomaliesNextToThePcaBaseline() throws Exception {
        Path run = RUNS.get("vae");
        assertEquals(0, Pretext.run("evaluate", "anomaly", "--model", run.toString(), "--normal",
                testImages.toString(), "--anomalous", anomalies.toString(), "--master", "local[2]"));
        JsonNode eval = json(run.resolve("eval").resolve("anomaly.json"));
        for (String metric : List.of("auroc", "baselineAuroc", "averagePrecision", "baselineAveragePrecision",
                "negElboAuroc", "negElboAveragePrecision", "recallAtThreshold", "falsePositiveRateAtThreshold")) {
            double v = eval.get(metric).asDouble();
            assertTrue(v >= 0 && v <= 1, metric + " " + v);
        }
        assertEquals(40, eval.get("normalRecords").asLong());
        assertEquals(20, eval.get("anomalousRecords").asLong());
        assertEquals(LATENT, eval.get("components").asInt());
        assertEquals(160, eval.get("pcaFitRecords").asLong());

        Document page = Jsoup.parse(run.resolve("report.html").toFile(), "UTF-8");
        Element row = page.selectFirst("tr[data-eval=anomaly][data-metric=auroc]");
        assertNotNull(row);
        assertEquals(eval.get("baselineAuroc").asDouble(),
                Double.parseDouble(row.selectFirst("[data-key=baseline]").text()), 5e-5);
        assertTrue(row.text().contains("PCA"), row.text());
    }

    @Test
    void probesTheLatentCodesAgainstTheEncoderAtInit() throws Exception {
        Path run = RUNS.get("ae");
        assertEquals(0, Pretext.run("evaluate", "linear-probe", "--model", run.toString(), "--train",
                images.toString(), "--test", testImages.toString(), "--master", "local[2]"));
        JsonNode eval = json(run.resolve("eval").resolve("linear-probe.json"));
        assertEquals(LATENT, eval.get("featureSize").asInt());
        assertTrue(eval.get("accuracy").asDouble() > 0.5, "accuracy " + eval.get("accuracy"));
        assertTrue(eval.has("randomInitAccuracy"));
    }

    @Test
    void drawsReconstructionsAndSamplesIntoTheReport() {
        assertTrue(Files.isRegularFile(RUNS.get("dae").resolve("report").resolve("reconstructions.png")));
        assertTrue(Files.notExists(RUNS.get("ae").resolve("report").resolve("prior-samples.png")));
        assertTrue(Files.isRegularFile(RUNS.get("vae").resolve("report").resolve("prior-samples.png")));
    }
}
