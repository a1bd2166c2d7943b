package io.pretext.jobs.cli;

import io.pretext.jobs.autoencoder.AutoencoderPictures;
import io.pretext.jobs.autoencoder.TrainedAutoencoder;
import io.pretext.jobs.storage.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code pretext sample}: images decoded from draws of a variational autoencoder's prior, as one PNG grid. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Draw images from a finished vae run's prior N(0, I) and save them as a PNG grid.")
public final class SampleCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a finished vae run of images")
    String model;

    @Option(names = "--n", paramLabel = "N", defaultValue = "64",
            description = "images to draw (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the PNG to write")
    String out;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0",
            description = "seed of the prior draws (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        TrainedAutoencoder trained = TrainedAutoencoder.load(RunDirectory.open(model), List.of());
        AutoencoderPictures.writePng(out, AutoencoderPictures.priorSamples(trained, n, seed));
        System.out.println("{\"model\": \"" + trained.run().root() + "\", \"samples\": " + n + ", \"seed\": " + seed
                + ", \"out\": \"" + out + "\"}");
        return 0;
    }
}
