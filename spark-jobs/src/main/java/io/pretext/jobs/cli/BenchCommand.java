package io.pretext.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.jobs.bench.PreprocessBenchmark;
import io.pretext.jobs.bench.ScalingBenchmark;
import io.pretext.jobs.bench.SimClrBenchmark;
import io.pretext.jobs.bert.BertVocab;
import io.pretext.jobs.cluster.LocalStandaloneCluster;
import io.pretext.jobs.spark.SparkSessions;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.zoo.runtime.Nd4jRuntime;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code pretext bench ...}: speed measurements that print figures and ratios (never pass/fail). */
@Command(name = "bench", description = "Measure training and preprocessing speed on this machine, next to PyTorch "
        + "where installed.",
        subcommands = {BenchCommand.SimClr.class, BenchCommand.Scaling.class, BenchCommand.Preprocess.class})
public final class BenchCommand {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Command(name = "simclr", mixinStandardHelpOptions = true,
            description = "SimCLR training images/s: DL4J graph, Pretext's training path on Spark, and PyTorch.")
    static final class SimClr implements Callable<Integer> {
        @Option(names = "--models", defaultValue = "small-cnn,resnet18-cifar", description = "encoders, comma-separated")
        String models;
        @Option(names = "--batch", defaultValue = "64", description = "images per step (two views each)")
        int batch;
        @Option(names = "--size", defaultValue = "32", description = "image side in pixels (RGB)")
        int size;
        @Option(names = "--steps", defaultValue = "15", description = "timed steps per round")
        int steps;
        @Option(names = "--warmup", defaultValue = "3", description = "untimed steps per round")
        int warmup;
        @Option(names = "--rounds", defaultValue = "2", description = "alternating rounds of all frameworks")
        int rounds;
        @Option(names = "--threads", defaultValue = "0", description = "threads per framework; 0 = all cores")
        int threads;
        @Option(names = "--pipeline-steps", defaultValue = "10",
                description = "timed steps through the pretrain path per round")
        int pipelineSteps;
        @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "a Python with torch")
        String python;
        @Option(names = "--no-torch", description = "skip the PyTorch reference")
        boolean noTorch;
        @Option(names = "--out", paramLabel = "FILE", description = "also write the figures as JSON")
        Path out;
        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() throws Exception {
            if (batch < 1 || size < 8 || steps < 1 || rounds < 1 || warmup < 0 || pipelineSteps < 1) {
                throw new IllegalArgumentException("--batch >= 1, --size >= 8, --steps >= 1, --rounds >= 1, "
                        + "--warmup >= 0 and --pipeline-steps >= 1 are required");
            }
            Nd4jRuntime.configure();
            SimClrBenchmark.Settings settings = new SimClrBenchmark.Settings(SimClrBenchmark.models(models), batch,
                    size, steps, warmup, rounds, threads, python, !noTorch, pipelineSteps);
            try (SparkSession session = spark.session("pretext bench simclr")) {
                List<SimClrBenchmark.Result> results =
                        SimClrBenchmark.run(JavaSparkContext.fromSparkContext(session.sparkContext()), settings);
                System.out.print(SimClrBenchmark.table(results, settings));
                System.out.println("runtime: " + Nd4jRuntime.describe());
                if (out != null) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("settings", settings);
                    json.put("runtime", Nd4jRuntime.describe());
                    json.put("results", results);
                    Files.writeString(out, JSON.writeValueAsString(json));
                }
            }
            return 0;
        }
    }

    @Command(name = "scaling", mixinStandardHelpOptions = true,
            description = "Parameter-averaging scaling on a local 2-executor standalone cluster: efficiency and "
                    + "averaging overhead for several averaging frequencies.")
    static final class Scaling implements Callable<Integer> {
        @Option(names = "--data", paramLabel = "PATH",
                description = "images (default: the bundled Fashion-MNIST sample)")
        String data;
        @Option(names = "--channels", defaultValue = "1")
        int channels;
        @Option(names = "--size", defaultValue = "28")
        int size;
        @Option(names = "--encoder", defaultValue = "small-cnn")
        String encoder;
        @Option(names = "--batch", defaultValue = "64", description = "images per worker step")
        int batch;
        @Option(names = "--frequencies", defaultValue = "2,10", description = "averaging frequencies to compare")
        String frequencies;
        @Option(names = "--steps", defaultValue = "40", description = "steps per measurement")
        int steps;
        @Option(names = "--executor-memory", defaultValue = "2g")
        String executorMemory;
        @Option(names = "--out", paramLabel = "FILE", description = "also write the figures as JSON")
        Path out;

        @Override
        public Integer call() throws Exception {
            String images = data != null ? data : QuickstartCommand.bundledSample() + "/train";
            HadoopPaths.requireExists(images, "--data");
            List<Integer> freq = java.util.Arrays.stream(frequencies.split(",")).map(String::trim)
                    .map(Integer::parseInt).toList();
            ScalingBenchmark.Settings settings = new ScalingBenchmark.Settings(images, channels, size, encoder, batch,
                    freq, steps);
            Path work = Files.createTempDirectory("pretext-cluster");
            try (LocalStandaloneCluster cluster = new LocalStandaloneCluster(work, 2, 1, executorMemory);
                 SparkSession session = SparkSessions.create("pretext bench scaling", cluster.masterUrl(),
                         cluster.driverConf(executorMemory))) {
                List<ScalingBenchmark.Row> rows = ScalingBenchmark.run(session, settings);
                System.out.print(ScalingBenchmark.table(rows, settings));
                if (out != null) {
                    Files.writeString(out, JSON.writeValueAsString(Map.of("settings", settings, "rows", rows)));
                }
            }
            return 0;
        }
    }

    @Command(name = "preprocess", mixinStandardHelpOptions = true,
            description = "Preprocessing per core (one thread): WordPiece tokens/s next to DL4J's tokenizer, image "
                    + "decode + resize images/s and SimCLR augmentation views/s next to PIL and torchvision.")
    static final class Preprocess implements Callable<Integer> {
        @Option(names = "--text", paramLabel = "DIR",
                description = "a folder of .txt files (default: " + PreprocessBenchmark.DEFAULT_TEXT
                        + " in a folder above this one or the Pretext home)")
        Path text;
        @Option(names = "--vocab", paramLabel = "FILE", description = "WordPiece vocabulary (default: the bundled "
                + "bert-base-uncased one)")
        String vocab;
        @Option(names = "--images", paramLabel = "DIR",
                description = "a folder of encoded images (default: the bundled Fashion-MNIST sample)")
        Path images;
        @Option(names = "--size", defaultValue = "32", description = "side of decoded images and views")
        int size;
        @Option(names = "--channels", defaultValue = "3", description = "1 (grey) or 3 (RGB)")
        int channels;
        @Option(names = "--rounds", defaultValue = "5", description = "timed rounds per measurement")
        int rounds;
        @Option(names = "--seconds", defaultValue = "1.5", description = "length of a round")
        double seconds;
        @Option(names = "--max-lines", defaultValue = "0", description = "text lines read at most; 0 = all")
        int maxLines;
        @Option(names = "--max-images", defaultValue = "0", description = "images read at most; 0 = all")
        int maxImages;
        @Option(names = "--python", defaultValue = "/usr/bin/python3",
                description = "a Python with torch and torchvision")
        String python;
        @Option(names = "--no-torch", description = "skip the torchvision reference")
        boolean noTorch;
        @Option(names = "--out", paramLabel = "FILE", description = "also write the figures as JSON")
        Path out;

        @Override
        public Integer call() throws Exception {
            Path textDir = text != null ? text : PreprocessBenchmark.defaultText();
            Path imageDir = images != null ? images : Path.of(QuickstartCommand.bundledSample());
            BertVocab.Source source = BertVocab.load(vocab);
            PreprocessBenchmark.Settings settings = new PreprocessBenchmark.Settings(textDir, source.location(),
                    imageDir, channels, size, rounds, seconds, maxLines, maxImages, python, !noTorch);
            PreprocessBenchmark.Result result = PreprocessBenchmark.run(settings, source.vocabulary());
            System.out.print(PreprocessBenchmark.table(result, settings));
            if (out != null) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("settings", settings);
                json.put("inputs", result.inputs());
                json.put("rows", result.rows());
                Files.writeString(out, JSON.writeValueAsString(json));
            }
            return 0;
        }
    }
}
