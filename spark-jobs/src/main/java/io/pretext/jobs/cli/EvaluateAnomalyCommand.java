package io.pretext.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.jobs.autoencoder.AnomalyEvaluation;
import io.pretext.jobs.autoencoder.TrainedAutoencoder;
import io.pretext.jobs.report.RunReport;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code pretext evaluate anomaly}: AUROC and average precision of an autoencoder's anomaly score vs PCA. */
@Command(name = "anomaly", mixinStandardHelpOptions = true,
        description = "AUROC and average precision of an autoencoder's anomaly score on normal vs anomalous records, "
                + "next to a PCA reconstruction-error baseline fitted on the run's training data.")
final class EvaluateAnomalyCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a finished ae, dae or vae run")
    String model;

    @Option(names = "--normal", required = true, paramLabel = "PATH", description = "records of the normal kind")
    String normal;

    @Option(names = "--anomalous", required = true, paramLabel = "PATH", description = "anomalous records")
    String anomalous;

    @Option(names = "--pca-data", paramLabel = "PATH",
            description = "fit the PCA baseline on this data instead of the run's training data (manifest.json)")
    String pcaData;

    @Option(names = "--set", paramLabel = "eval.KEY=VALUE", description = "override an eval setting")
    List<String> sets = new ArrayList<>();

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        RunDirectory run = RunDirectory.open(model);
        TrainedAutoencoder trained = TrainedAutoencoder.load(run, sets);
        HadoopPaths.requireExists(normal, "--normal");
        HadoopPaths.requireExists(anomalous, "--anomalous");
        String fit = pcaData != null ? pcaData : trained.manifest().data();
        HadoopPaths.requireExists(fit, pcaData != null ? "--pca-data" : "the run's training data (the PCA baseline is "
                + "fitted on it; give --pca-data PATH when it has moved)");
        try (SparkSession session = spark.session("pretext evaluate anomaly")) {
            System.out.println(JSON.writeValueAsString(AnomalyEvaluation.run(session, trained, normal, anomalous,
                    fit)));
        }
        RunReport.refresh(run);
        return 0;
    }
}
