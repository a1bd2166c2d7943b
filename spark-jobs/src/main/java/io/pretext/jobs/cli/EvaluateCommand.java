package io.pretext.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.jobs.autoencoder.TrainedAutoencoder;
import io.pretext.jobs.eval.EvalConfig;
import io.pretext.jobs.eval.ProbeEvaluation;
import io.pretext.jobs.pretrain.RunManifest;
import io.pretext.jobs.report.RunReport;
import io.pretext.jobs.simclr.SimClrEncoders;
import io.pretext.jobs.simclr.SimClrRunConfig;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code pretext evaluate PROBE ...}. */
@Command(name = "evaluate", description = "Evaluate a pretrained model against a baseline measured in the same run.",
        subcommands = {EvaluateCommand.LinearProbe.class, EvaluateCommand.Knn.class, TextEvaluateCommand.Mlm.class,
                TextEvaluateCommand.Probe.class, EvaluateAnomalyCommand.class})
public final class EvaluateCommand {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Options of the image probes. */
    static final class ProbeOptions {
        @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a finished run")
        String model;

        @Option(names = "--train", required = true, paramLabel = "PATH", description = "labelled training images")
        String train;

        @Option(names = "--test", required = true, paramLabel = "PATH", description = "labelled test images")
        String test;

        @Option(names = "--set", paramLabel = "eval.KEY=VALUE", description = "override an eval setting")
        List<String> sets = new ArrayList<>();
    }

    static int probe(ProbeOptions options, SparkOptions spark, ProbeEvaluation.Probe probe) throws Exception {
        RunDirectory run = RunDirectory.open(options.model);
        RunManifest manifest = RunManifest.read(run);
        ProbeEvaluation.Encoders encoders;
        EvalConfig eval;
        if (manifest.model().equals("simclr")) {
            SimClrRunConfig config = SimClrEncoders.config(run, options.sets);
            encoders = SimClrEncoders.load(run, config);
            eval = config.eval();
        } else if (TrainedAutoencoder.isAutoencoder(manifest.model())) {
            TrainedAutoencoder trained = TrainedAutoencoder.load(run, options.sets);
            encoders = trained.probeEncoders(probe.key());
            eval = trained.config().eval().probes();
        } else {
            throw new IllegalArgumentException(probe.key() + " evaluates image encoders; " + options.model
                    + " is a " + manifest.model() + " run");
        }
        HadoopPaths.requireExists(options.train, "--train");
        HadoopPaths.requireExists(options.test, "--test");
        try (SparkSession session = spark.session("pretext evaluate " + probe.key())) {
            var result = ProbeEvaluation.run(session, run, encoders, List.of(probe), options.train, options.test,
                    eval);
            System.out.println(JSON.writeValueAsString(result));
        }
        RunReport.refresh(run);
        return 0;
    }

    @Command(name = "linear-probe", mixinStandardHelpOptions = true,
            description = "Logistic regression on frozen encoder features: test accuracy, pretrained vs random init.")
    static final class LinearProbe implements Callable<Integer> {
        @Mixin
        ProbeOptions options;
        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() throws Exception {
            return probe(options, spark, ProbeEvaluation.Probe.LINEAR_PROBE);
        }
    }

    @Command(name = "knn", mixinStandardHelpOptions = true,
            description = "k-nearest-neighbour (cosine) accuracy on frozen encoder features, pretrained vs random init.")
    static final class Knn implements Callable<Integer> {
        @Mixin
        ProbeOptions options;
        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() throws Exception {
            return probe(options, spark, ProbeEvaluation.Probe.KNN);
        }
    }
}
