package io.pretext.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.eval.ProbeEvaluation;
import io.pretext.jobs.pretrain.PretrainDriver;
import io.pretext.jobs.pretrain.RunSummary;
import io.pretext.jobs.report.RunReport;
import io.pretext.jobs.simclr.SimClrEncoders;
import io.pretext.jobs.simclr.SimClrRunConfig;
import io.pretext.jobs.simclr.SimClrSpec;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.jobs.train.ProgressLog;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code pretext quickstart}: SimCLR on the bundled Fashion-MNIST sample, then linear-probe and kNN evaluation
 * of the pretrained encoder next to the same encoder at random init, measured in the same run, as a table.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Pretrain SimCLR on the bundled Fashion-MNIST sample and evaluate it (a few minutes).")
public final class QuickstartCommand implements Callable<Integer> {

    /** The quickstart's settings: small CNN on 28x28 grey images, sized to finish in a few minutes on 2 cores. */
    static final Map<String, Object> SETTINGS = settings();

    @Option(names = "--sample", paramLabel = "DIR",
            description = "sample with train/ and test/ sub-folders (default: deploy/samples/fashion-mnist)")
    String sample;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "run directory (default: runs/quickstart-TIME)")
    String out;

    @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE", description = "override one setting, repeatable")
    List<String> sets = new ArrayList<>();

    @Mixin
    SparkOptions spark;

    private static Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("data.channels", 1);
        s.put("data.height", 28);
        s.put("data.width", 28);
        s.put("model.encoder", "small-cnn");
        s.put("augment.cropScaleMin", 0.2);
        s.put("train.batchSize", 128);
        s.put("train.epochs", 20);
        s.put("train.averagingFrequency", 10);
        s.put("optimizer.type", "adam");
        s.put("optimizer.learningRate", 2e-3);
        s.put("optimizer.warmupSteps", 50);
        return s;
    }

    @Override
    public Integer call() throws Exception {
        String samplePath = sample != null ? sample : bundledSample();
        String train = samplePath + "/train";
        String test = samplePath + "/test";
        String runDir = out != null ? out
                : "runs/quickstart-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        SimClrRunConfig config = SimClrRunConfig.resolve(
                ConfigSource.load(SimClrRunConfig.SECTIONS, SETTINGS, null, sets));
        SimClrSpec spec = new SimClrSpec(config, train);
        RunDirectory run = PretrainDriver.prepare(spec, train, runDir, PretrainDriver.Resume.NO);
        try (SparkSession session = spark.session("pretext quickstart")) {
            RunSummary summary = PretrainDriver.run(session, spec, run, PretrainDriver.Resume.NO);
            ObjectNode eval = ProbeEvaluation.run(session, run, SimClrEncoders.load(run, config),
                    List.of(ProbeEvaluation.Probe.LINEAR_PROBE, ProbeEvaluation.Probe.KNN), train, test,
                    config.eval());
            RunReport.refresh(run);
            printTable(System.out, summary, eval, config, session.sparkContext().master());
        }
        return 0;
    }

    static void printTable(PrintStream out, RunSummary summary, JsonNode eval, SimClrRunConfig config,
                           String master) {
        JsonNode probe = eval.get("linear-probe");
        JsonNode knn = eval.get("knn");
        out.println();
        out.printf(Locale.ROOT, "Pretext quickstart: SimCLR %s on %,d Fashion-MNIST images (%dx%d, %d channel), %s%n",
                config.model().encoder(), summary.recordsUsed(), config.data().height(), config.data().width(),
                config.data().channels(), master);
        out.println("  ------------------------------------------------------------------------------");
        out.printf(Locale.ROOT, "  training        %,d steps, %d epochs in %s: %.1f images/s, final loss %.4f%n",
                summary.steps(), summary.epochs(), ProgressLog.duration(summary.trainMillis()),
                summary.examplesPerSecond(), summary.finalLoss());
        out.printf(Locale.ROOT, "  linear probe    pretrained %.4f   random init %.4f   (%+.1f points; %d train / %d test)%n",
                probe.get("accuracy").asDouble(), probe.get("randomInitAccuracy").asDouble(),
                100 * (probe.get("accuracy").asDouble() - probe.get("randomInitAccuracy").asDouble()),
                eval.get("trainImages").asLong(), eval.get("testImages").asLong());
        out.printf(Locale.ROOT, "  kNN (k=%d)      pretrained %.4f   random init %.4f   (%+.1f points)%n",
                knn.get("k").asInt(), knn.get("accuracy").asDouble(), knn.get("randomInitAccuracy").asDouble(),
                100 * (knn.get("accuracy").asDouble() - knn.get("randomInitAccuracy").asDouble()));
        out.printf("  run directory   %s%n", summary.runDir());
        out.printf("  report          %s/%s%n", summary.runDir(), RunReport.FILE);
        out.println("  ------------------------------------------------------------------------------");
    }

    /** The bundled Fashion-MNIST sample (train/ and test/), found from -Dpretext.home or the working folder. */
    static String bundledSample() {
        String home = System.getProperty("pretext.home");
        File dir = new File(home != null ? home : ".", "deploy/samples/fashion-mnist");
        if (!new File(dir, "train").isDirectory() || !new File(dir, "test").isDirectory()) {
            throw new IllegalArgumentException("the bundled sample is not at " + dir.getAbsolutePath()
                    + " (run from the project root, use deploy/bin/pretext, or pass --sample DIR)");
        }
        return dir.getAbsolutePath();
    }
}
