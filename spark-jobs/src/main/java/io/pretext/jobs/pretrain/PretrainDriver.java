package io.pretext.jobs.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.jobs.report.ProgressDisplay;
import io.pretext.jobs.report.RunFacts;
import io.pretext.jobs.report.RunReporter;
import io.pretext.jobs.storage.CheckpointStore;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.jobs.train.MetricsLog;
import io.pretext.jobs.train.ParameterAveraging;
import io.pretext.jobs.train.RoundStats;
import io.pretext.jobs.train.TrainingConfig;
import io.pretext.jobs.train.TrainingState;
import io.pretext.jobs.train.TrainingTask;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs one pretraining job end to end: run directory, data, graph (fresh or resumed), parameter averaging on
 * Spark with checkpoints and metrics, then the final model, the family's exports and {@code summary.json}.
 */
public final class PretrainDriver {

    private static final Logger log = LoggerFactory.getLogger(PretrainDriver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How {@code --resume} was given. */
    public enum Resume {
        /** start a new run; refuse a directory that already holds one */
        NO,
        /** continue from the newest valid checkpoint; fail if there is none */
        REQUIRED,
        /** continue if a valid checkpoint exists, else start */
        AUTO
    }

    private PretrainDriver() {
    }

    /**
     * Checks the output location before any Spark work: writable, and either empty of runs or resumable.
     * Writes the resolved config for a new run, or compares it with the saved one on resume.
     */
    public static RunDirectory prepare(PretrainSpec<?> spec, String dataPath, String out, Resume resume) {
        RunDirectory run = RunDirectory.create(out);
        boolean hasRun = run.exists(RunDirectory.CHECKPOINTS) || run.exists(RunDirectory.MODEL);
        if (resume == Resume.NO && hasRun) {
            throw new IllegalArgumentException("--out " + out + " already holds a run (checkpoints or model.zip); "
                    + "add --resume to continue it, or choose a new --out");
        }
        if (resume != Resume.NO && run.exists(RunDirectory.CONFIG)) {
            String saved = run.readString(RunDirectory.CONFIG);
            if (!saved.equals(spec.resolvedConfigYaml())) {
                throw new IllegalArgumentException("--resume: the resolved configuration differs from the one in "
                        + run.path(RunDirectory.CONFIG) + " (" + ConfigDiff.describe(saved, spec.resolvedConfigYaml())
                        + "); resume with the same --config/--preset/--set as the original run");
            }
        }
        run.writeString(RunDirectory.CONFIG, spec.resolvedConfigYaml());
        if (resume == Resume.NO || !run.exists(RunDirectory.MANIFEST)) {
            run.writeString(RunDirectory.MANIFEST, RunManifest.of(spec, dataPath).toJson());
        }
        return run;
    }

    public static <R> RunSummary run(SparkSession spark, PretrainSpec<R> spec, RunDirectory run, Resume resume) {
        return run(spark, spec, run, resume, null);
    }

    /**
     * @param initFrom a finished run whose final parameters a new run starts from (continual pretraining), or
     *                 null; ignored when the run resumes from its own checkpoint
     */
    public static <R> RunSummary run(SparkSession spark, PretrainSpec<R> spec, RunDirectory run, Resume resume,
                                     String initFrom) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingConfig train = spec.training();
        long started = System.currentTimeMillis();

        PretrainSpec.LoadedData<R> data = spec.load(spark, run);
        String fingerprint = data.fingerprint();
        int workers = Workers.resolve(spark, train.workers());
        int threads = Workers.threadsPerWorker(spark, train.threadsPerWorker(), workers);
        long totalSteps = ParameterAveraging.plannedSteps(data.count(), train, workers);

        CheckpointStore checkpoints = new CheckpointStore(run, train.keepCheckpoints());
        ComputationGraph graph;
        TrainingState state;
        String resumedFrom = null;
        Optional<CheckpointStore.Checkpoint> checkpoint =
                resume == Resume.NO ? Optional.empty() : checkpoints.latestValid();
        if (checkpoint.isPresent()) {
            CheckpointStore.Checkpoint c = checkpoint.get();
            if (!c.state().dataFingerprint().equals(fingerprint)) {
                throw new IllegalArgumentException("--resume: the training data differs from the checkpointed run's ("
                        + c.state().dataFingerprint() + " vs now " + fingerprint + "); resume on the same --data");
            }
            graph = c.graph();
            state = c.state();
            resumedFrom = c.name();
            log.info("resuming from {} at step {} (epoch {}, round {})", c.name(), state.step(), state.epoch() + 1,
                    state.round() + 1);
        } else if (resume == Resume.REQUIRED) {
            throw new IllegalArgumentException("--resume: no valid checkpoint under " + run.path(RunDirectory.CHECKPOINTS)
                    + " (use --resume auto to start a new run when there is none)");
        } else {
            graph = spec.newGraph(totalSteps);
            state = TrainingState.start(train.seed(), fingerprint);
            if (initFrom != null) {
                WarmStart.apply(graph, initFrom);
            }
        }
        TrainingTask<R> task = spec.task(graph);
        log.info("{}: {} parameters, {} {} ({} read, {} rejected), {} worker(s) x {} thread(s), batch {} per worker, "
                        + "averaging every {} steps, {} steps planned", spec.model(), graph.numParams(), data.count(),
                spec.exampleUnit(), data.read(), data.rejected().values().stream().mapToLong(Long::longValue).sum(),
                workers,
                threads == 0 ? "default" : threads, train.batchSize(), train.averagingFrequency(), totalSteps);

        RunReporter report = RunReporter.start(spark, run, new RunFacts.Setup(spec.model(), spec.exampleUnit(),
                graph.numParams(), totalSteps, workers, threads, data.read(), data.count(), data.rejected()),
                resumedFrom, state.step(), state.epoch());
        ComputationGraph model = graph; // trained in place below
        if (resumedFrom == null) {
            report.addSections(() -> spec.reportSections(spark, data.records(), model, false));
        }
        report.refresh();

        ProgressDisplay progress = ProgressDisplay.forDriver(spec.exampleUnit(), train.epochs(), state.step());
        long sessionStart = System.currentTimeMillis();
        TrainingState end;
        try (MetricsLog metrics = MetricsLog.open(run, resumedFrom == null ? -1 : state.step())) {
            ParameterAveraging<R> trainer = new ParameterAveraging<>(sc, train, workers, threads,
                    spec.learningRate(graph));
            end = trainer.train(graph, data.records(), task, state, totalSteps, checkpoints,
                    new ParameterAveraging.Listener() {
                        @Override
                        public void onAnyRound(RoundStats stats) {
                            progress.round(stats, System.currentTimeMillis() - sessionStart);
                        }

                        @Override
                        public void onRound(RoundStats stats) {
                            metrics.write(stats);
                            progress.logged(stats, System.currentTimeMillis() - sessionStart);
                        }

                        @Override
                        public void onCheckpoint(String name, TrainingState s) {
                            progress.interject(() -> log.info("checkpoint {} written", name));
                            report.checkpoint(name, s.step());
                        }

                        @Override
                        public void onEpoch(int epoch, long[] sizes, long dropped) {
                            progress.interject(() -> log.info("epoch {}: shard sizes {}; {} records in partial "
                                    + "batches sit this epoch out", epoch + 1, Arrays.toString(sizes), dropped));
                            report.epoch(epoch, sizes, dropped);
                        }
                    });
        } finally {
            progress.close();
        }
        long trainMillis = System.currentTimeMillis() - sessionStart;

        sc.setJobDescription("save final model");
        String last = checkpoints.save(graph, end);
        run.writeAtomically(RunDirectory.MODEL, out -> ModelSerializer.writeModel(graph, out, true));
        spec.exportExtras(run, graph);
        double examplesPerSecond = (end.examples() - state.examples()) / Math.max(1e-9, trainMillis / 1000.0);
        RunSummary summary = new RunSummary(spec.model(), run.root().toString(), graph.numParams(), end.step(),
                Math.min(end.epoch(), train.epochs()), end.examples(), end.loss(), examplesPerSecond, trainMillis,
                System.currentTimeMillis() - started, workers, data.read(), data.count(), data.rejected(), last,
                resumedFrom, spark.sparkContext().master(), Instant.now().toString());
        run.writeString(RunDirectory.SUMMARY, summary.toJson());
        report.addSections(() -> spec.reportSections(spark, data.records(), model, true));
        report.refresh();
        log.info(String.format(Locale.ROOT, "done: %d steps, final loss %.4f, %.1f %s/s, model at %s",
                end.step(), end.loss(), examplesPerSecond, spec.exampleUnit(), run.path(RunDirectory.MODEL)));
        return summary;
    }

    /** Reads a run's summary. */
    public static ObjectNode readSummary(RunDirectory run) {
        try {
            return (ObjectNode) JSON.readTree(run.readString(RunDirectory.SUMMARY));
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable " + run.path(RunDirectory.SUMMARY) + ": " + e.getMessage());
        }
    }
}
