package io.pretext.jobs.cli;

import io.pretext.jobs.autoencoder.AutoencoderRunConfig;
import io.pretext.jobs.autoencoder.AutoencoderSpec;
import io.pretext.jobs.pretrain.PretrainDriver;
import io.pretext.jobs.pretrain.PretrainSpec;
import io.pretext.jobs.pretrain.RunSummary;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code pretext pretrain ae|dae|vae}: the autoencoder family, on images or numeric feature rows. */
final class AutoencoderPretrainCommand {

    private AutoencoderPretrainCommand() {
    }

    static int pretrain(String kind, PretrainCommand.RunOptions run, SparkOptions spark) {
        AutoencoderRunConfig config = AutoencoderRunConfig.resolve(run.source(AutoencoderRunConfig.sections(kind),
                kind), kind);
        HadoopPaths.requireExists(run.data, "--data");
        PretrainSpec<?> spec = AutoencoderSpec.of(config, run.data);
        RunDirectory dir = PretrainDriver.prepare(spec, run.data, run.out, run.resumeMode());
        try (SparkSession session = spark.session("pretext pretrain " + kind)) {
            RunSummary summary = PretrainDriver.run(session, spec, dir, run.resumeMode(), run.initFrom);
            System.out.println(summary.toJson());
        }
        return 0;
    }

    @Command(name = "ae", mixinStandardHelpOptions = true,
            description = "Autoencoder: learn to reconstruct the input through a narrow code (images or feature "
                    + "rows); the code embeds, the reconstruction error scores anomalies.")
    static final class Ae implements Callable<Integer> {
        @Mixin
        PretrainCommand.RunOptions run;
        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() {
            return pretrain("ae", run, spark);
        }
    }

    @Command(name = "dae", mixinStandardHelpOptions = true,
            description = "Denoising autoencoder: reconstruct the clean input from a copy corrupted in the executors "
                    + "(corrupt: section).")
    static final class Dae implements Callable<Integer> {
        @Mixin
        PretrainCommand.RunOptions run;
        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() {
            return pretrain("dae", run, spark);
        }
    }

    @Command(name = "vae", mixinStandardHelpOptions = true,
            description = "Variational autoencoder: Gaussian latent, loss reconstruction + KL (with warm-up); "
                    + "scores by reconstruction error and negative ELBO, samples from the prior.")
    static final class Vae implements Callable<Integer> {
        @Mixin
        PretrainCommand.RunOptions run;
        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() {
            return pretrain("vae", run, spark);
        }
    }
}
