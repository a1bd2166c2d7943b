package io.pretext.jobs.cli;

import io.pretext.jobs.autoencoder.AutoencoderPictures;
import io.pretext.jobs.autoencoder.TrainedAutoencoder;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code pretext reconstruct}: images of a corpus next to their reconstructions by an autoencoder, as one PNG. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = "Save the first N images of a corpus (by id) next to their reconstructions as a PNG grid.")
public final class ReconstructCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "RUN_DIR",
            description = "a finished ae, dae or vae run of images")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "the images")
    String input;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the PNG to write")
    String out;

    @Option(names = "--n", paramLabel = "N", defaultValue = "16",
            description = "images shown (default ${DEFAULT-VALUE})")
    int n;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        TrainedAutoencoder trained = TrainedAutoencoder.load(RunDirectory.open(model), List.of());
        trained.requireImages("reconstruct");
        if (n < 1) {
            throw new IllegalArgumentException("--n must be >= 1, got " + n);
        }
        HadoopPaths.requireExists(input, "--input");
        int shown;
        try (SparkSession session = spark.session("pretext reconstruct")) {
            shown = AutoencoderPictures.writeReconstructions(session, trained, input, n, out);
        }
        System.out.println("{\"model\": \"" + trained.run().root() + "\", \"input\": \"" + input + "\", \"images\": "
                + shown + ", \"out\": \"" + out + "\"}");
        return 0;
    }
}
