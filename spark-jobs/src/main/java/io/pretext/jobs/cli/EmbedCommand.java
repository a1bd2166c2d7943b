package io.pretext.jobs.cli;

import io.pretext.jobs.autoencoder.AutoencoderEmbedder;
import io.pretext.jobs.autoencoder.TrainedAutoencoder;
import io.pretext.jobs.embed.Embedder;
import io.pretext.jobs.embed.Embeddings;
import io.pretext.jobs.embed.ImageEmbedder;
import io.pretext.jobs.embed.TextEmbedder;
import io.pretext.jobs.bert.BertRun;
import io.pretext.jobs.pretrain.RunManifest;
import io.pretext.jobs.simclr.SimClrEncoders;
import io.pretext.jobs.simclr.SimClrRunConfig;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pretext embed}: embeddings of a corpus as Parquet (id, label, vector) with a finished run's encoder,
 * for downstream Spark jobs. The run's model family decides what the input is and which encoder runs.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Write embeddings of a corpus as Parquet (id, label, vector) with a finished run's encoder.")
public final class EmbedCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a finished run")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "the corpus to embed")
    String input;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "Parquet output (must not exist)")
    String output;

    @Option(names = "--set", paramLabel = "eval.KEY=VALUE",
            description = "override an eval setting (batchSize; for BERT runs also pooling, maxSeqLength)")
    List<String> sets = new java.util.ArrayList<>();

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        RunDirectory run = RunDirectory.open(model);
        RunManifest manifest = RunManifest.read(run);
        HadoopPaths.requireExists(input, "--input");
        Embedder embedder = embedder(run, manifest.model());
        try (SparkSession session = spark.session("pretext embed")) {
            long rows = Embeddings.write(embedder.embed(session, run, input), output);
            System.out.println("{\"model\": \"" + run.root() + "\", \"input\": \"" + input + "\", \"output\": \""
                    + HadoopPaths.qualified(output) + "\", \"rows\": " + rows + "}");
        }
        return 0;
    }

    private Embedder embedder(RunDirectory run, String family) {
        switch (family) {
            case "simclr": {
                SimClrRunConfig config = SimClrEncoders.config(run, sets);
                return new ImageEmbedder(SimClrEncoders.load(run, config).pretrained(), config.data(),
                        config.eval().batchSize());
            }
            case "bert":
                return new TextEmbedder(BertRun.open(model, sets));
            case "ae", "dae", "vae":
                return AutoencoderEmbedder.of(TrainedAutoencoder.load(run, sets));
            default:
                throw new IllegalArgumentException(model + " is a " + family + " run; embed takes runs of: simclr, "
                        + "bert, ae, dae, vae");
        }
    }
}
