package io.pretext.jobs.simclr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleImages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pretext pretrain simclr} end to end on real images with two workers on local Spark. */
class SimClrPretrainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path images;

    static Path run;

    @BeforeAll
    static void pretrainOnce() throws Exception {
        images = SampleImages.copy("train", List.of("trouser", "bag", "sneaker", "dress"), 50, dir.resolve("images"));
        Files.writeString(images.resolve("bag").resolve("notes.png"), "not an image");
        Files.write(images.resolve("bag").resolve("empty.png"), new byte[0]);
        run = dir.resolve("run");
        assertEquals(0, Pretext.run(pretrain(run)));
    }

    static List<JsonNode> metrics(Path out) throws Exception {
        List<JsonNode> metrics = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            metrics.add(JSON.readTree(line));
        }
        return metrics;
    }

    static String[] pretrain(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("pretrain", "simclr", "--data", images.toString(),
                "--out", out.toString(), "--master", "local[2]",
                "--set", "data.channels=1", "--set", "data.height=28", "--set", "data.width=28",
                "--set", "train.workers=2", "--set", "train.batchSize=16", "--set", "train.averagingFrequency=2",
                "--set", "train.epochs=2", "--set", "train.logEverySteps=1", "--set", "train.checkpointEverySteps=4",
                "--set", "optimizer.learningRate=0.003", "--set", "optimizer.warmupSteps=2"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void pretrainsWritesTheRunDirectoryAndLearns() throws Exception {
        Path out = run;

        for (String file : List.of("config.yaml", "manifest.json", "metrics.jsonl", "summary.json", "model.zip",
                "encoder.zip", "rejected.jsonl")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(200, summary.get("recordsUsed").asLong());
        assertEquals(202, summary.get("recordsRead").asLong());
        assertEquals(1, summary.get("rejected").get("empty_file").asLong());
        assertEquals(1, summary.get("rejected").get("not_an_image").asLong());
        assertEquals(12, summary.get("steps").asLong()); // 200 images / (2 workers x 16) = 6 steps per epoch

        List<String> rejects = Files.readAllLines(out.resolve("rejected.jsonl"));
        assertEquals(2, rejects.size());

        List<JsonNode> metrics = metrics(out);
        assertEquals(6, metrics.size()); // a round every 2 steps, logged every round
        for (JsonNode m : metrics) {
            for (String field : List.of("step", "epoch", "loss", "lr", "examplesPerSec", "averagingMs")) {
                assertTrue(m.has(field), field);
            }
            assertEquals(2, m.get("workers").asInt());
        }
        double first = metrics.get(0).get("loss").asDouble();
        double last = metrics.get(metrics.size() - 1).get("loss").asDouble();
        assertTrue(last < first - 0.1, "loss " + first + " -> " + last);

        ComputationGraph model = ModelSerializer.restoreComputationGraph(out.resolve("model.zip").toFile(), true);
        ComputationGraph encoder = ModelSerializer.restoreComputationGraph(out.resolve("encoder.zip").toFile(), false);
        assertEquals(128, encoder.outputSingle(false, Nd4j.rand(DataType.FLOAT, 1, 1, 28, 28)).size(1));
        assertTrue(model.numParams() > encoder.numParams());
        assertTrue(new File(out.toFile(), "checkpoints/step-000000012").isDirectory());
    }

    @Test
    void embedsImagesAsParquetWithTheEncoder() {
        Path out = dir.resolve("embeddings");
        assertEquals(0, Pretext.run("embed", "--model", run.toString(), "--input", images.toString(),
                "--output", out.toString(), "--master", "local[2]"));
        SparkSession spark = SparkSession.builder().master("local[1]").getOrCreate();
        try {
            List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
            assertEquals(200, rows.size());
            assertEquals(128, rows.get(0).getList(rows.get(0).fieldIndex("vector")).size());
            assertTrue(rows.stream().allMatch(r -> List.of("trouser", "bag", "sneaker", "dress")
                    .contains(r.getString(r.fieldIndex("label")))));
        } finally {
            spark.stop();
        }
        assertEquals(2, Pretext.run("embed", "--model", run.toString(), "--input", images.toString(),
                "--output", out.toString(), "--master", "local[2]"), "an existing output is refused");
    }

    @Test
    void warmStartsFromAFinishedRun() throws Exception {
        Path warm = dir.resolve("warm");
        assertEquals(0, Pretext.run(pretrain(warm, "--init-from", run.toString(), "--set", "train.epochs=1")));
        double coldFirst = metrics(run).get(0).get("loss").asDouble();
        double warmFirst = metrics(warm).get(0).get("loss").asDouble();
        assertTrue(warmFirst < coldFirst - 0.2, "warm start " + warmFirst + " vs cold " + coldFirst);
    }

    @Test
    void refusesToWarmStartAnotherArchitecture() {
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), pretrain(dir.resolve("other"), "--init-from",
                run.toString(), "--set", "model.projectionSize=64")));
        assertTrue(err.toString().contains("same architecture"), err.toString());
    }

    @Test
    void refusesToOverwriteAnExistingRun() throws Exception {
        Path out = dir.resolve("twice");
        Files.createDirectories(out.resolve("checkpoints"));
        assertEquals(2, Pretext.run(pretrain(out)));
    }

    @Test
    void refusesAnUnknownConfigKeyBeforeSparkStarts() {
        assertEquals(2, Pretext.run(pretrain(dir.resolve("bad"), "--set", "train.batchsize=0")));
        assertTrue(Files.notExists(dir.resolve("bad").resolve("config.yaml")));
    }
}
