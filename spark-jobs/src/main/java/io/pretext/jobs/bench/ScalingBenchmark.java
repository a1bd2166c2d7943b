package io.pretext.jobs.bench;

import io.pretext.data.augment.SimClrAugmentConfig;
import io.pretext.data.augment.SimClrAugmenter;
import io.pretext.data.image.ImageCorpus;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.data.image.ImageRecord;
import io.pretext.jobs.simclr.SimClrTask;
import io.pretext.jobs.storage.CheckpointStore;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.jobs.train.ParameterAveraging;
import io.pretext.jobs.train.RoundStats;
import io.pretext.jobs.train.TrainingConfig;
import io.pretext.jobs.train.TrainingState;
import io.pretext.zoo.encoder.EncoderPreset;
import io.pretext.zoo.optim.OptimizerConfig;
import io.pretext.zoo.simclr.SimClr;
import io.pretext.zoo.simclr.SimClrConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Scaling of parameter averaging on this machine: SimCLR throughput with one executor and with two, for several
 * averaging frequencies, on a real multi-JVM standalone cluster. Efficiency = throughput(2) / (2 x
 * throughput(1)); the averaging share is the part of each round's wall time outside the slowest worker's task
 * (broadcast, scheduling, result transfer, averaging).
 */
public final class ScalingBenchmark {

    /** Settings. */
    public record Settings(String data, int channels, int size, String encoder, int batch, List<Integer> frequencies,
                           int steps) {
    }

    /** One measured configuration. */
    public record Point(int workers, int averagingFrequency, double imagesPerSecond, double averagingShare,
                        long rounds) {
    }

    /** Both worker counts at one averaging frequency. */
    public record Row(int averagingFrequency, Point one, Point two) {
        public double efficiency() {
            return two.imagesPerSecond() / (2 * one.imagesPerSecond());
        }
    }

    private ScalingBenchmark() {
    }

    public static List<Row> run(SparkSession spark, Settings s) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ImageDataConfig data = ImageDataConfig.defaults().withImageSize(s.channels(), s.size(), s.size());
        ImageCorpus corpus = ImageCorpus.open(spark, s.data(), data).requireUsable();
        JavaRDD<ImageRecord> records = corpus.records();
        long count = corpus.count();
        List<Row> rows = new ArrayList<>();
        for (int frequency : s.frequencies()) {
            Point one = measure(sc, records, count, s, 1, frequency);
            Point two = measure(sc, records, count, s, 2, frequency);
            rows.add(new Row(frequency, one, two));
        }
        corpus.unpersist();
        return rows;
    }

    static Point measure(JavaSparkContext sc, JavaRDD<ImageRecord> records, long count, Settings s, int workers,
                         int frequency) throws IOException {
        SimClrConfig model = new SimClrConfig(s.encoder(), s.channels(), s.size(), s.size(),
                (int) EncoderPreset.of(s.encoder()).featureSize(), 128, 0.5, "relu", 42);
        OptimizerConfig optimizer = new OptimizerConfig("adam", 1e-3, 0.9, true, 0, 0, 0, 1, "constant");
        ComputationGraph graph = SimClr.init(model, optimizer);
        TrainingConfig train = new TrainingConfig(workers, s.batch(), frequency, 1000, 0, 42, Long.MAX_VALUE / 2, 1, 1,
                1, 2);
        SimClrTask task = new SimClrTask(graph.getConfiguration().toJson(),
                new SimClrAugmenter(SimClrAugmentConfig.defaults(), s.channels(), s.size(), s.size()));
        long steps = Math.max(2L * frequency, s.steps() / frequency * (long) frequency + frequency);
        Path dir = Files.createTempDirectory("pretext-scaling");
        List<RoundStats> stats = new ArrayList<>();
        try {
            sc.setJobDescription("scaling benchmark: " + workers + " worker(s), averaging every " + frequency);
            new ParameterAveraging<ImageRecord>(sc, train, workers, 1, step -> 1e-3).train(graph, records, task,
                    TrainingState.start(42, "bench"), Math.min(steps, ParameterAveraging.plannedSteps(count, train,
                            workers)), new CheckpointStore(RunDirectory.create(dir.toString()), 1), stats::add);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        // the first round of each epoch pays for building the pooled graph and caching the shards
        List<RoundStats> timed = stats.stream().filter(r -> r.round() > 0).toList();
        long examples = timed.stream().mapToLong(RoundStats::examples).sum();
        long wall = timed.stream().mapToLong(RoundStats::wallMillis).sum();
        long averaging = timed.stream().mapToLong(RoundStats::averagingMillis).sum();
        return new Point(workers, frequency, examples / Math.max(1e-9, wall / 1000.0),
                wall == 0 ? Double.NaN : (double) averaging / wall, timed.size());
    }

    public static String table(List<Row> rows, Settings s) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "SimCLR %s, %d images of %dx%dx%d per worker step; executors of 1 core on a local standalone cluster%n",
                s.encoder(), s.batch(), s.size(), s.size(), s.channels()));
        out.append(String.format(Locale.ROOT, "%-10s %16s %16s %12s %16s %16s%n", "averaging", "1 worker img/s",
                "2 workers img/s", "efficiency", "averaging (1)", "averaging (2)"));
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "every %-4d %16.1f %16.1f %11.0f%% %15.1f%% %15.1f%%%n",
                    r.averagingFrequency(), r.one().imagesPerSecond(), r.two().imagesPerSecond(),
                    100 * r.efficiency(), 100 * r.one().averagingShare(), 100 * r.two().averagingShare()));
        }
        return out.toString();
    }
}
