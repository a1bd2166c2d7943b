package io.pretext.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretext.data.augment.SimClrAugmentConfig;
import io.pretext.data.augment.SimClrAugmenter;
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
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * SimCLR training speed, three ways in one sitting: DL4J fitting a fixed batch (the graph alone), the same
 * graph inside Pretext's training path on Spark (augmentation, sharding, averaging rounds: what
 * {@code pretext pretrain} runs), and the same model in PyTorch. Rounds alternate between the frameworks so
 * that a noisy machine hurts both alike; images (not views) per second are reported.
 */
public final class SimClrBenchmark {

    /** Benchmark settings. */
    public record Settings(List<String> models, int batch, int size, int steps, int warmup, int rounds,
                           int threads, String python, boolean torch, int pipelineSteps) {
    }

    /** Images per second: median and best over timed steps (or rounds). */
    public record Figures(double median, double best) {
        static Figures of(List<Double> values) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (v.length == 0) {
                return new Figures(Double.NaN, Double.NaN);
            }
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Figures(median, v[v.length - 1]);
        }
    }

    /** One model's figures. */
    public record Result(String model, long parameters, Figures dl4j, Figures pretrain, Figures torch) {
        public double ratio() {
            return torch == null ? Double.NaN : dl4j.median() / torch.median();
        }

        public double pretrainRatio() {
            return torch == null ? Double.NaN : pretrain.median() / torch.median();
        }
    }

    private SimClrBenchmark() {
    }

    public static List<Result> run(JavaSparkContext sc, Settings s) throws Exception {
        TorchReference torch = new TorchReference(s.python());
        boolean withTorch = s.torch() && torch.unavailable().isEmpty();
        List<List<Double>> dl4j = new ArrayList<>();
        List<List<Double>> pretrain = new ArrayList<>();
        List<List<Double>> reference = new ArrayList<>();
        long[] params = new long[s.models().size()];
        for (int m = 0; m < s.models().size(); m++) {
            dl4j.add(new ArrayList<>());
            pretrain.add(new ArrayList<>());
            reference.add(new ArrayList<>());
        }
        for (int round = 0; round < s.rounds(); round++) {
            for (int m = 0; m < s.models().size(); m++) {
                String model = s.models().get(m);
                ComputationGraph graph = SimClr.init(config(model, s.size()), optimizer());
                params[m] = graph.numParams();
                dl4j.get(m).addAll(fitSteps(graph, s));
                pretrain.get(m).add(pretrainPath(sc, graph, s));
                if (withTorch) {
                    JsonNode r = torch.run("simclr_torch.py", List.of("--model", model, "--batch",
                            String.valueOf(s.batch()), "--size", String.valueOf(s.size()), "--threads",
                            String.valueOf(s.threads() > 0 ? s.threads() : Runtime.getRuntime().availableProcessors()),
                            "--steps", String.valueOf(s.steps()), "--warmup", String.valueOf(s.warmup())));
                    reference.get(m).add(r.get("imagesPerSecMedian").asDouble());
                    reference.get(m).add(r.get("imagesPerSecBest").asDouble());
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (int m = 0; m < s.models().size(); m++) {
            results.add(new Result(s.models().get(m), params[m], Figures.of(dl4j.get(m)),
                    Figures.of(pretrain.get(m)), withTorch ? torchFigures(reference.get(m)) : null));
        }
        return results;
    }

    /** Torch reports (median, best) per round; the overall median is over round medians. */
    private static Figures torchFigures(List<Double> pairs) {
        List<Double> medians = new ArrayList<>();
        double best = 0;
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            medians.add(pairs.get(i));
            best = Math.max(best, pairs.get(i + 1));
        }
        return new Figures(Figures.of(medians).median(), best);
    }

    /** The benchmark model: projection head hidden size = the encoder's feature size, as the PyTorch script. */
    static SimClrConfig config(String encoder, int size) {
        return new SimClrConfig(encoder, 3, size, size, (int) EncoderPreset.of(encoder).featureSize(), 128, 0.5,
                "relu", 42);
    }

    /** SGD with Nesterov momentum 0.9 at a fixed rate, as the PyTorch reference. */
    static OptimizerConfig optimizer() {
        return new OptimizerConfig("sgd", 0.05, 0.9, true, 0, 0, 0, 1, "constant");
    }

    /** Images/s of each timed step of fitting one fixed batch of 2 x batch views. */
    static List<Double> fitSteps(ComputationGraph graph, Settings s) {
        Nd4j.getRandom().setSeed(7);
        MultiDataSet data = new MultiDataSet(Nd4j.rand(DataType.FLOAT, 2L * s.batch(), 3, s.size(), s.size()),
                SimClr.labelsFor(2L * s.batch()));
        for (int i = 0; i < s.warmup(); i++) {
            graph.fit(data);
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < s.steps(); i++) {
            long t0 = System.nanoTime();
            graph.fit(data);
            out.add(s.batch() / ((System.nanoTime() - t0) / 1e9));
        }
        return out;
    }

    /**
     * Images/s of the training path of {@code pretext pretrain}: one worker on the local Spark context, real
     * SimCLR augmentation of synthetic images in the task, averaging rounds of {@code pretext pretrain}'s default
     * {@code train.averagingFrequency}; the first round (graph building, JIT) is not counted.
     */
    static double pretrainPath(JavaSparkContext sc, ComputationGraph graph, Settings s) throws Exception {
        int stepsPerRound = TrainingConfig.defaults().averagingFrequency();
        int rounds = Math.max(2, (s.pipelineSteps() + stepsPerRound - 1) / stepsPerRound) + 1;
        int records = s.batch() * stepsPerRound * rounds;
        Random random = new Random(11);
        List<ImageRecord> images = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            byte[] pixels = new byte[3 * s.size() * s.size()];
            random.nextBytes(pixels);
            images.add(new ImageRecord("synthetic-" + i, null, 3, s.size(), s.size(), pixels));
        }
        JavaRDD<ImageRecord> rdd = sc.parallelize(images, 1).cache();
        TrainingConfig train = new TrainingConfig(1, s.batch(), stepsPerRound, 1, 0, 5, Long.MAX_VALUE / 2, 1,
                1, s.threads(), 2);
        SimClrTask task = new SimClrTask(graph.getConfiguration().toJson(),
                new SimClrAugmenter(SimClrAugmentConfig.defaults(), 3, s.size(), s.size()));
        Path dir = Files.createTempDirectory("pretext-bench");
        List<RoundStats> stats = new ArrayList<>();
        try {
            long total = ParameterAveraging.plannedSteps(records, train, 1);
            new ParameterAveraging<ImageRecord>(sc, train, 1, s.threads(), step -> 0.05).train(graph, rdd, task,
                    TrainingState.start(5, "bench"), total, new CheckpointStore(RunDirectory.create(dir.toString()), 1),
                    stats::add);
        } finally {
            rdd.unpersist(false);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        long examples = 0;
        long millis = 0;
        for (RoundStats r : stats.subList(1, stats.size())) {
            examples += r.examples();
            millis += r.wallMillis();
        }
        return examples / Math.max(1e-9, millis / 1000.0);
    }

    public static String table(List<Result> results, Settings s) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("SimCLR training, batch %d images (2 x %d views of %dx%dx3), %d rounds x %d steps%n",
                s.batch(), s.batch(), s.size(), s.size(), s.rounds(), s.steps()));
        out.append(String.format("%-16s %12s %22s %18s %22s %9s %9s%n", "model", "parameters", "dl4j img/s med/best",
                "pretrain img/s", "pytorch img/s med/best", "dl4j/pt", "pretr/pt"));
        for (Result r : results) {
            out.append(String.format("%-16s %,12d %10.1f / %-9.1f %18.1f %10s / %-9s %9s %9s%n", r.model(),
                    r.parameters(), r.dl4j().median(), r.dl4j().best(), r.pretrain().median(),
                    r.torch() == null ? "-" : String.format("%.1f", r.torch().median()),
                    r.torch() == null ? "-" : String.format("%.1f", r.torch().best()),
                    r.torch() == null ? "-" : String.format("%.2fx", r.ratio()),
                    r.torch() == null ? "-" : String.format("%.2fx", r.pretrainRatio())));
        }
        return out.toString();
    }

    public static List<String> models(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
    }
}
