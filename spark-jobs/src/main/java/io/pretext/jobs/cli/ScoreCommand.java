package io.pretext.jobs.cli;

import io.pretext.jobs.autoencoder.AnomalyScores;
import io.pretext.jobs.autoencoder.TrainedAutoencoder;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pretext score}: the anomaly score of every record of a corpus under a finished autoencoder run, as Parquet
 * (id, label, score, is_anomaly at the run's saved threshold, and neg_elbo for vae).
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Write per-record anomaly scores of a corpus as Parquet with a finished autoencoder run.")
public final class ScoreCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a finished ae, dae or vae run")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "the corpus to score")
    String input;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "Parquet output (must not exist)")
    String output;

    @Option(names = "--set", paramLabel = "eval.KEY=VALUE", description = "override an eval setting (batchSize)")
    List<String> sets = new ArrayList<>();

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        TrainedAutoencoder trained = TrainedAutoencoder.load(RunDirectory.open(model), sets);
        HadoopPaths.requireExists(input, "--input");
        AnomalyScores.requireNewOutput(output);
        try (SparkSession session = spark.session("pretext score")) {
            System.out.println(AnomalyScores.write(session, trained, input, output).toPrettyString());
        }
        return 0;
    }
}
