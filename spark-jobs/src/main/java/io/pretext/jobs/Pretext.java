package io.pretext.jobs;

import io.pretext.jobs.cli.BenchCommand;
import io.pretext.jobs.cli.CompareCommand;
import io.pretext.jobs.cli.ConfigCommand;
import io.pretext.jobs.cli.EmbedCommand;
import io.pretext.jobs.cli.EvaluateCommand;
import io.pretext.jobs.cli.FinetuneCommand;
import io.pretext.jobs.cli.LatestCommand;
import io.pretext.jobs.cli.PreprocessCommand;
import io.pretext.jobs.cli.PretrainCommand;
import io.pretext.jobs.cli.QuickstartCommand;
import io.pretext.jobs.cli.ReconstructCommand;
import io.pretext.jobs.cli.ReportCommand;
import io.pretext.jobs.cli.SampleCommand;
import io.pretext.jobs.cli.ScoreCommand;
import io.pretext.jobs.cli.VocabCommand;
import io.pretext.jobs.train.TrainingDivergedException;
import io.pretext.zoo.runtime.Nd4jRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code pretext} command line: one entry point for spark-submit and for the local launcher. */
@Command(name = "pretext", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Distributed self-supervised pretraining on Apache Spark.",
        subcommands = {PretrainCommand.class, EvaluateCommand.class, QuickstartCommand.class, ConfigCommand.class,
                LatestCommand.class, BenchCommand.class, EmbedCommand.class, ReportCommand.class, CompareCommand.class,
                ScoreCommand.class, SampleCommand.class, ReconstructCommand.class, PreprocessCommand.class,
                VocabCommand.class, FinetuneCommand.class, CommandLine.HelpCommand.class})
public final class Pretext {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: 0 done, 2 bad input or config, 3 diverged, 1 failure. */
    public static int run(String... args) {
        return run(new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, with error messages going to {@code err}. */
    public static int run(PrintWriter err, String... args) {
        Nd4jRuntime.configure();
        CommandLine cli = new CommandLine(new Pretext());
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("pretext: error: " + e.getMessage());
                return 2;
            }
            if (e instanceof TrainingDivergedException) {
                commandLine.getErr().println("pretext: training stopped: " + e.getMessage()
                        + " (the last good checkpoint is kept; lower optimizer.learningRate and --resume, "
                        + "or start again)");
                return 3;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
