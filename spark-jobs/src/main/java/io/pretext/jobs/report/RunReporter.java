package io.pretext.jobs.report;

import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The driver's side of the report: records what only the driver knows ({@link RunFacts}), stores the model
 * family's sections, and redraws {@code report.html} at each checkpoint and at the end. A report that cannot be
 * written is logged and skipped: it never stops training.
 */
public final class RunReporter {

    private static final Logger log = LoggerFactory.getLogger(RunReporter.class);

    private final RunDirectory run;
    private RunFacts facts;

    private RunReporter(RunDirectory run, RunFacts facts) {
        this.run = run;
        this.facts = facts;
    }

    /**
     * Starts recording a run, or continues the record of a resumed one.
     *
     * @param resumedFrom the checkpoint the run resumes from, or null for a new run
     * @param step        the step training starts at
     * @param epoch       the (0-based) epoch training starts in
     */
    public static RunReporter start(SparkSession spark, RunDirectory run, RunFacts.Setup setup, String resumedFrom,
                                    long step, int epoch) {
        RunFacts facts = RunFacts.start(setup, RunFacts.Cluster.of(spark.sparkContext()), resumedFrom);
        RunReporter reporter = new RunReporter(run, facts);
        reporter.quietly("record the run", () -> {
            RunFacts earlier = resumedFrom == null ? null : RunFacts.read(run);
            if (earlier != null) {
                reporter.facts = facts.continuing(earlier, step, epoch);
            }
            reporter.facts.write(run);
        });
        return reporter;
    }

    /** Stores the model family's sections (made by {@code sections}) for every later report. */
    public void addSections(Supplier<List<ReportSection>> sections) {
        quietly("store the model's report sections", () -> {
            List<ReportSection> made = sections.get();
            if (!made.isEmpty()) {
                ReportSections.store(run, made);
            }
        });
    }

    /** An epoch began with these shard sizes. */
    public void epoch(int epoch, long[] shardSizes, long satOut) {
        quietly("record the epoch", () -> {
            facts = facts.withEpoch(new RunFacts.EpochShards(epoch + 1, Arrays.stream(shardSizes).boxed().toList(),
                    satOut));
            facts.write(run);
        });
    }

    /** A checkpoint was written: recorded, and the report redrawn. */
    public void checkpoint(String name, long step) {
        quietly("record the checkpoint", () -> {
            facts = facts.withCheckpoint(new RunFacts.Checkpoint(name, step, Instant.now().toString()));
            facts.write(run);
        });
        refresh();
    }

    /** Redraws {@code report.html} from the run directory. */
    public void refresh() {
        RunReport.refresh(run);
    }

    private void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | java.awt.AWTError | LinkageError e) {
            // drawing needs fonts and image codecs; a machine without them still trains
            log.warn("report: could not {} in {}: {}", what, run, e.toString());
        }
    }
}
