package io.pretext.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.jobs.MiniHdfs;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleImages;
import io.pretext.jobs.SampleText;
import io.pretext.jobs.storage.RunDirectory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every model family on a real standalone cluster (master, two workers, executors: all separate JVMs) with HDFS:
 * SimCLR (also with an executor killed), BERT and an autoencoder.
 */
class ClusterTrainingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static LocalStandaloneCluster cluster;
    private static MiniHdfs hdfs;
    private static Path images;

    @BeforeAll
    static void start() {
        hdfs = new MiniHdfs(dir.resolve("hdfs"));
        cluster = new LocalStandaloneCluster(dir.resolve("cluster"), 2, 1, "1500m");
        images = SampleImages.copy("train", List.of("trouser", "bag", "sneaker", "dress"), 60, dir.resolve("images"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (hdfs != null) {
            hdfs.close();
        }
    }

    /** {@code command} on the cluster with the driver settings it needs. */
    static String[] onCluster(String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--master", cluster.masterUrl()));
        cluster.driverConf("1g").forEach((k, v) -> {
            args.add("--spark-conf");
            args.add(k + "=" + v);
        });
        return args.toArray(String[]::new);
    }

    /** The mean loss of the first two and of the last two logged rounds, and the model read back from HDFS. */
    static void assertLearnedAndLoadsBack(RunDirectory run, int workers) throws Exception {
        List<JsonNode> metrics = metrics(run);
        assertTrue(metrics.size() >= 4, metrics.toString());
        assertTrue(metrics.stream().allMatch(m -> m.get("workers").asInt() == workers));
        int n = metrics.size();
        double first = (metrics.get(0).get("loss").asDouble() + metrics.get(1).get("loss").asDouble()) / 2;
        double last = (metrics.get(n - 2).get("loss").asDouble() + metrics.get(n - 1).get("loss").asDouble()) / 2;
        assertTrue(last < first, "loss " + first + " -> " + last);
        try (InputStream in = run.openInput(RunDirectory.MODEL)) {
            ComputationGraph model = ModelSerializer.restoreComputationGraph(in, true);
            assertTrue(model.numParams() > 0);
        }
    }

    static String[] args(String out, int epochs) {
        List<String> args = new ArrayList<>(List.of("pretrain", "simclr", "--data", images.toString(), "--out", out,
                "--master", cluster.masterUrl(),
                "--set", "data.channels=1", "--set", "data.height=28", "--set", "data.width=28",
                "--set", "train.workers=2", "--set", "train.batchSize=16", "--set", "train.averagingFrequency=2",
                "--set", "train.epochs=" + epochs, "--set", "train.logEverySteps=1",
                "--set", "train.checkpointEverySteps=4", "--set", "optimizer.learningRate=0.003",
                "--set", "optimizer.warmupSteps=2"));
        cluster.driverConf("1g").forEach((k, v) -> {
            args.add("--spark-conf");
            args.add(k + "=" + v);
        });
        return args.toArray(String[]::new);
    }

    static List<JsonNode> metrics(RunDirectory run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : run.readString(RunDirectory.METRICS).split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Test
    void pretrainsAcrossTwoExecutorsIntoHdfs() throws Exception {
        String out = hdfs.uri() + "/runs/cluster";
        assertEquals(0, Pretext.run(args(out, 2)));

        RunDirectory run = RunDirectory.open(out);
        List<JsonNode> metrics = metrics(run);
        assertEquals(14, metrics.get(metrics.size() - 1).get("step").asLong()); // 240 / (2 x 16) = 7 per epoch
        assertTrue(metrics.stream().allMatch(m -> m.get("workers").asInt() == 2));
        double first = metrics.get(0).get("loss").asDouble();
        double last = metrics.get(metrics.size() - 1).get("loss").asDouble();
        assertTrue(last < first - 0.1, "loss " + first + " -> " + last);
        try (InputStream in = run.openInput(RunDirectory.MODEL)) {
            ComputationGraph model = ModelSerializer.restoreComputationGraph(in, true);
            assertTrue(model.numParams() > 0);
        }
    }

    @Test
    void finishesWhenAnExecutorIsKilledMidTraining() throws Exception {
        Path out = dir.resolve("killed-executor");
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Pretext.run(args(out.toString(), 6)));
        try {
            Path metrics = out.resolve(RunDirectory.METRICS);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!(Files.exists(metrics) && Files.readAllLines(metrics).size() >= 3)) {
                assertTrue(System.nanoTime() < deadline && !run.isDone(), "training did not start");
                Thread.sleep(200);
            }
            cluster.killOneExecutor();
        } finally {
            assertEquals(0, run.get(5, TimeUnit.MINUTES));
        }
        List<JsonNode> lines = metrics(RunDirectory.open(out.toString()));
        assertEquals(42, lines.get(lines.size() - 1).get("step").asLong());
        assertTrue(lines.stream().anyMatch(m -> m.get("failedTasks").asLong() > 0
                || m.get("lostExecutors").asLong() > 0), "the metrics record the lost executor");
        ComputationGraph model = ModelSerializer.restoreComputationGraph(out.resolve(RunDirectory.MODEL).toFile(), true);
        assertFalse(model.params().isNaN().any());
    }

    @Test
    void bertPretrainsAcrossTwoExecutorsIntoHdfs() throws Exception {
        Path text = SampleText.copy("moby-dick", 0, 10, dir.resolve("chapters"));
        String out = hdfs.uri() + "/runs/bert";
        assertEquals(0, Pretext.run(onCluster("pretrain", "bert", "--data", text.toString(), "--out", out,
                "--vocab", SampleText.dataDir().resolve("vocab/bert-base-uncased-vocab.txt").toString(),
                "--set", "model.preset=", "--set", "model.layers=1", "--set", "model.hiddenSize=32",
                "--set", "model.heads=2", "--set", "text.maxSeqLength=64", "--set", "train.workers=2",
                "--set", "train.batchSize=16", "--set", "train.averagingFrequency=4", "--set", "train.epochs=2",
                "--set", "train.logEverySteps=1", "--set", "optimizer.learningRate=0.003",
                "--set", "optimizer.warmupSteps=2", "--set", "eval.reportSequences=2")));
        RunDirectory run = RunDirectory.open(out);
        assertLearnedAndLoadsBack(run, 2);
        assertTrue(run.exists("vocab.txt"));
    }

    @Test
    void autoencoderPretrainsAcrossTwoExecutorsIntoHdfs() throws Exception {
        String out = hdfs.uri() + "/runs/vae";
        assertEquals(0, Pretext.run(onCluster("pretrain", "vae", "--preset", "vae-28", "--data", images.toString(),
                "--out", out, "--set", "train.workers=2", "--set", "train.batchSize=16",
                "--set", "train.averagingFrequency=2", "--set", "train.epochs=3", "--set", "train.logEverySteps=1",
                "--set", "model.klWarmupSteps=0")));
        RunDirectory run = RunDirectory.open(out);
        assertLearnedAndLoadsBack(run, 2);
        assertTrue(run.exists(RunDirectory.ENCODER));
    }
}
