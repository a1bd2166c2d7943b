package io.pretext.jobs.report;

import io.pretext.jobs.LocalSpark;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleImages;
import io.pretext.jobs.pretrain.PretrainDriver;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real runs shared by the report tests, made once per test JVM: two small SimCLR runs on bundled images (the first
 * evaluated with the linear probe and kNN, its Spark jobs recorded), and a run of another model family.
 */
final class ReportRuns {

    /** An input whose name is markup: the report must show it as text. */
    static final String MARKUP_NAME = "<img src=x onerror=alert(1)>.png";
    static final List<String> CLASSES = List.of("trouser", "bag", "sneaker", "dress");

    private static Path root;
    private static Path images;
    private static Path simclr;
    private static Path simclrOther;
    private static Path regression;
    private static final List<Job> jobs = Collections.synchronizedList(new ArrayList<>());

    /** A Spark job as the listener saw it: its description and those of its stages. */
    record Job(int id, String description, List<String> stageDescriptions) {
    }

    private ReportRuns() {
    }

    static synchronized Path images() {
        if (images == null) {
            images = SampleImages.copy("train", CLASSES, 24, root().resolve("images"));
            try {
                Files.writeString(images.resolve("bag").resolve(MARKUP_NAME), "not an image");
                Files.write(images.resolve("bag").resolve("empty.png"), new byte[0]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return images;
    }

    /** SimCLR, 2 workers, 2 epochs of 3 steps, checkpoints every 2 steps, then linear probe and kNN. */
    static synchronized Path simclr() {
        if (simclr == null) {
            Path out = root().resolve("simclr-a");
            Path train = SampleImages.copy("train", CLASSES, 15, root().resolve("labelled-train"));
            Path test = SampleImages.copy("test", CLASSES, 10, root().resolve("labelled-test"));
            recordJobs(LocalSpark.get());
            assertEquals(0, Pretext.run(pretrain(out, "train.epochs=2", "model.temperature=0.5")));
            for (String probe : List.of("linear-probe", "knn")) {
                recordJobs(LocalSpark.get());
                assertEquals(0, Pretext.run("evaluate", probe, "--model", out.toString(), "--train",
                        train.toString(), "--test", test.toString(), "--master", "local[2]"));
            }
            simclr = out;
        }
        return simclr;
    }

    /** SimCLR on the same images with another temperature and learning rate, one epoch, not evaluated. */
    static synchronized Path simclrOther() {
        if (simclrOther == null) {
            Path out = root().resolve("simclr-b");
            assertEquals(0, Pretext.run(pretrain(out, "train.epochs=1", "model.temperature=0.2",
                    "optimizer.learningRate=0.001")));
            simclrOther = out;
        }
        return simclrOther;
    }

    /** A run of another model family (a small regression through the same driver), with a table section. */
    static synchronized Path regression() {
        if (regression == null) {
            Path out = root().resolve("regression");
            RegressionSpec spec = new RegressionSpec();
            RunDirectory run = PretrainDriver.prepare(spec, "generated", out.toString(), PretrainDriver.Resume.NO);
            PretrainDriver.run(LocalSpark.get(), spec, run, PretrainDriver.Resume.NO);
            regression = out;
        }
        return regression;
    }

    /** The jobs of the first SimCLR run and its evaluations. */
    static List<Job> jobs() {
        simclr();
        synchronized (jobs) {
            return List.copyOf(jobs);
        }
    }

    private static String[] pretrain(Path out, String... sets) {
        List<String> args = new ArrayList<>(List.of("pretrain", "simclr", "--data", images().toString(),
                "--out", out.toString(), "--master", "local[2]",
                "--set", "data.channels=1", "--set", "data.height=28", "--set", "data.width=28",
                "--set", "train.workers=2", "--set", "train.batchSize=16", "--set", "train.averagingFrequency=1",
                "--set", "train.logEverySteps=1", "--set", "train.checkpointEverySteps=2",
                "--set", "optimizer.learningRate=0.003", "--set", "optimizer.warmupSteps=1"));
        for (String set : sets) {
            args.add("--set");
            args.add(set);
        }
        return args.toArray(String[]::new);
    }

    private static void recordJobs(SparkSession spark) {
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                jobs.add(new Job(start.jobId(), description(start.properties()), new ArrayList<>()));
            }

            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
                String description = description(submitted.properties());
                synchronized (jobs) {
                    if (!jobs.isEmpty()) {
                        jobs.get(jobs.size() - 1).stageDescriptions().add(description == null ? "" : description);
                    }
                }
            }
        });
    }

    private static String description(Properties properties) {
        return properties == null ? null : properties.getProperty("spark.job.description");
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    private static Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("pretext-report-runs");
                Path made = root;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(made)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }
}
