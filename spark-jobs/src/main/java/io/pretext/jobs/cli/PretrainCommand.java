package io.pretext.jobs.cli;

import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.config.Presets;
import io.pretext.jobs.pretrain.PretrainDriver;
import io.pretext.jobs.pretrain.RunSummary;
import io.pretext.jobs.simclr.SimClrRunConfig;
import io.pretext.jobs.simclr.SimClrSpec;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code pretext pretrain MODEL ...}: one subcommand per model family. */
@Command(name = "pretrain", description = "Pretrain a model on an unlabeled corpus.",
        subcommands = {PretrainCommand.SimClr.class, BertPretrainCommand.class, AutoencoderPretrainCommand.Ae.class,
                AutoencoderPretrainCommand.Dae.class, AutoencoderPretrainCommand.Vae.class})
public final class PretrainCommand {

    /** Options every pretrain subcommand shares. */
    static final class RunOptions {
        @Option(names = "--data", required = true, paramLabel = "PATH",
                description = "training corpus (Hadoop URI or local path)")
        String data;

        @Option(names = "--out", required = true, paramLabel = "RUN_DIR",
                description = "run directory (Hadoop URI or local path)")
        String out;

        @Option(names = "--config", paramLabel = "FILE", description = "YAML config file")
        String config;

        @Option(names = "--preset", paramLabel = "NAME", description = "named preset applied before --config")
        String preset;

        @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE", description = "override one setting, repeatable")
        List<String> sets = new ArrayList<>();

        @Option(names = "--resume", arity = "0..1", fallbackValue = "latest", paramLabel = "latest|auto",
                description = "continue from the newest valid checkpoint (auto: or start when there is none)")
        String resume;

        @Option(names = "--init-from", paramLabel = "RUN_DIR",
                description = "start from the final parameters of an earlier run of the same architecture")
        String initFrom;

        PretrainDriver.Resume resumeMode() {
            if (resume == null) {
                return PretrainDriver.Resume.NO;
            }
            return switch (resume) {
                case "latest" -> PretrainDriver.Resume.REQUIRED;
                case "auto" -> PretrainDriver.Resume.AUTO;
                default -> throw new IllegalArgumentException("--resume takes latest or auto, got " + resume);
            };
        }

        ConfigSource source(java.util.Set<String> sections, String model) {
            return ConfigSource.load(sections, Presets.settings(preset, model), config, sets);
        }
    }

    @Command(name = "simclr", mixinStandardHelpOptions = true,
            description = "SimCLR: contrastive pretraining of an image encoder (NT-Xent over two augmented views).")
    static final class SimClr implements Callable<Integer> {
        @Mixin
        RunOptions run;
        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() {
            SimClrRunConfig config = SimClrRunConfig.resolve(run.source(SimClrRunConfig.SECTIONS, "simclr"));
            HadoopPaths.requireExists(run.data, "--data");
            SimClrSpec spec = new SimClrSpec(config, run.data);
            RunDirectory dir = PretrainDriver.prepare(spec, run.data, run.out, run.resumeMode());
            try (SparkSession session = spark.session("pretext pretrain simclr")) {
                RunSummary summary = PretrainDriver.run(session, spec, dir, run.resumeMode(), run.initFrom);
                System.out.println(summary.toJson());
            }
            return 0;
        }
    }
}
