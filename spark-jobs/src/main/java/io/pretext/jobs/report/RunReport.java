package io.pretext.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretext.jobs.report.RunRecord.MetricRow;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * {@code RUN_DIR/report.html}: one self-contained page on one run. Every picture is embedded as a {@code data:}
 * URI, so the file opens offline and can be copied or mailed alone; the model family's pictures are also kept as
 * PNG files under {@code RUN_DIR/report/}, which holds what the page is drawn from besides the run's own files.
 */
public final class RunReport {

    private static final Logger log = LoggerFactory.getLogger(RunReport.class);

    /** The page, in the run directory. */
    public static final String FILE = "report.html";
    /** The report's own files in the run directory: {@code run.json}, {@code sections.json}, pictures. */
    public static final String DIR = "report";

    /** Examples shown per reject reason. */
    private static final int EXAMPLES_PER_REASON = 3;
    /** Epochs listed in the shard table; longer runs show the first and last ones. */
    private static final int SHARD_ROWS = 12;

    private RunReport() {
    }

    /**
     * Draws the report of a run directory and writes it to {@code RUN_DIR/report.html} atomically.
     *
     * @return where it was written
     */
    public static Path write(RunDirectory run) {
        return write(RunRecord.read(run));
    }

    /**
     * As {@link #write(RunDirectory)} for callers whose own work is done (training, evaluation): a report that
     * cannot be drawn is logged, not thrown.
     */
    public static void refresh(RunDirectory run) {
        try {
            write(run);
        } catch (RuntimeException | java.awt.AWTError | LinkageError e) {
            // drawing needs fonts and image codecs; a machine without them still trains and evaluates
            log.warn("report: could not write {} in {}: {}", FILE, run, e.toString());
        }
    }

    /** As {@link #write(RunDirectory)}, for a location given by a user; a directory that is not a run is refused. */
    public static Path write(String location) {
        return write(RunRecord.read(location));
    }

    private static Path write(RunRecord record) {
        String html = render(record);
        record.dir().writeString(FILE, html);
        return record.dir().path(FILE);
    }

    static String render(RunRecord r) {
        Html h = new Html();
        String heading = r.model() + (r.variant().isEmpty() ? "" : " · " + r.variant());
        List<String[]> anchors = new ArrayList<>();
        anchors.add(new String[]{"what-ran", "What ran"});
        anchors.add(new String[]{"data", "Data"});
        anchors.add(new String[]{"curves", "Curves"});
        for (ReportSections.Stored s : r.sections()) {
            anchors.add(new String[]{"section-" + s.id(), s.title()});
        }
        anchors.add(new String[]{"evaluation", "Evaluation"});
        anchors.add(new String[]{"configuration", "Configuration"});
        Page.open(h, "Pretext report: " + r.label(), heading, status(r), r.finished(), r.location(),
                anchors);
        tiles(h, r);
        whatRan(h, r);
        data(h, r);
        curves(h, r);
        for (ReportSections.Stored s : r.sections()) {
            section(h, r, s);
        }
        evaluation(h, r);
        configuration(h, r);
        Page.close(h);
        return h.toString();
    }

    static String status(RunRecord r) {
        if (r.finished()) {
            return "finished";
        }
        long planned = r.plannedSteps();
        return "not finished: step " + Fmt.count(r.steps()) + (planned > 0 ? " of " + Fmt.count(planned) : "");
    }

    private static void tiles(Html h, RunRecord r) {
        MetricRow last = r.last();
        h.start("div", "class", "tiles");
        Page.tile(h, "Final loss", last == null ? Fmt.NONE : Fmt.decimal4(last.loss()),
                last == null ? "no round logged yet" : "at step " + Fmt.count(last.step()), "final-loss");
        long planned = r.plannedSteps();
        Page.tile(h, "Steps", Fmt.count(r.steps()), planned > 0 ? "of " + Fmt.count(planned) + " planned" : "",
                "steps");
        Page.tile(h, "Throughput", Fmt.rate(r.examplesPerSecond()),
                r.exampleUnit() + "/s; averaging " + Fmt.percent(r.averagingShare()) + " of round time",
                "throughput");
        Page.tile(h, "Parameters", Fmt.count(r.parameters()), "", "parameters");
        Page.tile(h, "Training time", Fmt.duration(r.trainMillis()), r.finished() ? "" : "so far", "train-time");
        for (Map.Entry<String, JsonNode> e : r.evals().entrySet()) {
            EvalResult eval = EvalResult.of(e.getKey(), e.getValue());
            if (!eval.scores().isEmpty()) {
                EvalResult.Score s = eval.scores().get(0);
                Page.tile(h, Fmt.evalName(eval.name()), Fmt.decimal4(s.value()),
                        Double.isFinite(s.baseline()) ? s.baselineName() + " " + Fmt.decimal4(s.baseline())
                                : s.metric(),
                        "tile-" + eval.name());
            }
        }
        h.end("div").newline();
    }

    private static void whatRan(Html h, RunRecord r) {
        h.start("section", "id", "what-ran").element("h2", "What ran");
        h.start("table", "class", "kv");
        JsonNode m = r.manifest();
        Page.row(h, "Model", r.model() + (r.variant().isEmpty() ? "" : ", " + r.variant()), "model");
        Page.row(h, "Parameters", Fmt.count(r.parameters()), "parameters");
        Map<String, String> c = r.config();
        String epochs = c.getOrDefault("train.epochs", "?");
        Page.row(h, "Training", Fmt.count(r.steps()) + " steps"
                + (r.plannedSteps() > 0 ? " of " + Fmt.count(r.plannedSteps()) : "") + ", " + epochs + " epochs, "
                + "batch " + c.getOrDefault("train.batchSize", "?") + " per worker, averaging every "
                + c.getOrDefault("train.averagingFrequency", "?") + " steps", "training");
        if (r.facts() != null) {
            RunFacts.Setup setup = r.facts().setup();
            RunFacts.Cluster cluster = r.facts().cluster();
            Page.row(h, "Workers", setup.workers() + " worker(s) x "
                    + (setup.threadsPerWorker() == 0 ? "default" : String.valueOf(setup.threadsPerWorker()))
                    + " ND4J thread(s)", "workers");
            Page.row(h, "Spark", cluster.sparkMaster() + ", " + (cluster.executors() == 0
                    ? "tasks in the driver process" : cluster.executors() + " executor(s)") + ", "
                    + cluster.taskSlots() + " task slots, application " + cluster.sparkAppId(), "spark");
            Page.row(h, "ND4J", cluster.nd4j(), "nd4j");
            Page.row(h, "Started", r.facts().startedAt()
                    + (r.facts().resumedFrom() == null ? "" : " (resumed from " + r.facts().resumedFrom() + ")"),
                    "started");
        } else if (r.summary() != null) {
            Page.row(h, "Spark", r.summary().path("sparkMaster").asText(), "spark");
            Page.row(h, "Workers", r.summary().path("workers").asText(), "workers");
        }
        if (r.finished()) {
            Page.row(h, "Finished", r.summary().path("finishedAt").asText(), "finished");
        }
        Page.row(h, "Versions", "pretext " + m.path("pretextVersion").asText("?") + ", Deeplearning4j "
                + m.path("dl4jVersion").asText("?") + ", Spark " + m.path("sparkVersion").asText("?") + ", Java "
                + m.path("javaVersion").asText("?"), "versions");
        Page.row(h, "Run directory", r.location(), "run-dir");
        h.end("table").end("section").newline();
    }

    private static void data(Html h, RunRecord r) {
        h.start("section", "id", "data").element("h2", "Data");
        JsonNode manifest = r.manifest();
        long read;
        long used;
        Map<String, Long> rejected = new LinkedHashMap<>();
        if (r.summary() != null) {
            read = r.summary().path("recordsRead").asLong();
            used = r.summary().path("recordsUsed").asLong();
            r.summary().path("rejected").fields()
                    .forEachRemaining(e -> rejected.put(e.getKey(), e.getValue().asLong()));
        } else if (r.facts() != null) {
            read = r.facts().setup().recordsRead();
            used = r.facts().setup().recordsUsed();
            rejected.putAll(r.facts().setup().rejected());
        } else {
            read = -1;
            used = -1;
        }
        h.start("table", "class", "kv");
        Page.row(h, "Source", manifest.path("data").asText(Fmt.NONE), "data-path");
        Page.row(h, "Records read", Fmt.count(read), "records-read");
        Page.row(h, "Used", Fmt.count(used), "records-used");
        long rejectedTotal = rejected.values().stream().mapToLong(Long::longValue).sum();
        Page.row(h, "Rejected", read < 0 ? Fmt.NONE : Fmt.count(rejectedTotal)
                + (read > 0 ? " (" + Fmt.percent((double) rejectedTotal / read) + ")" : ""), "records-rejected");
        h.end("table");
        if (!rejected.isEmpty()) {
            h.element("h3", "Rejected inputs by reason");
            h.start("table", "class", "rejects").start("thead").start("tr").element("th", "Reason")
                    .element("th", "Count", "class", "num").element("th", "Examples (input: detail)")
                    .end("tr").end("thead").start("tbody");
            for (Map.Entry<String, Long> e : rejected.entrySet()) {
                h.start("tr", "data-reason", e.getKey()).element("td", e.getKey(), "class", "mono")
                        .element("td", Fmt.count(e.getValue()), "class", "num").start("td");
                int shown = 0;
                for (JsonNode reject : r.rejects()) {
                    if (shown < EXAMPLES_PER_REASON && e.getKey().equals(reject.path("reason").asText())) {
                        h.start("div", "class", "example").element("span", reject.path("id").asText(), "class", "mono")
                                .text(": " + reject.path("detail").asText()).end("div");
                        shown++;
                    }
                }
                if (shown == 0) {
                    h.element("span", "none listed in " + RunDirectory.REJECTED, "class", "muted");
                }
                h.end("td").end("tr");
            }
            h.end("tbody").end("table");
            h.element("p", "The first rejected inputs are listed in " + RunDirectory.REJECTED
                    + "; the counts cover all of them.", "class", "note");
        }
        shards(h, r);
        h.end("section").newline();
    }

    private static void shards(Html h, RunRecord r) {
        if (r.facts() == null || r.facts().epochs().isEmpty()) {
            return;
        }
        List<RunFacts.EpochShards> epochs = r.facts().epochs();
        h.element("h3", "Shards per epoch");
        h.start("table", "class", "shards compact").start("thead").start("tr").element("th", "Epoch", "class", "num")
                .element("th", "Shards", "class", "num").element("th", "Smallest", "class", "num")
                .element("th", "Largest", "class", "num").element("th", "Records sitting the epoch out", "class", "num")
                .end("tr").end("thead").start("tbody");
        // consecutive epochs with the same figures share a row (one worker: every epoch alike)
        List<long[]> rows = new ArrayList<>(); // [first epoch, last epoch, shards, smallest, largest, sat out]
        for (RunFacts.EpochShards e : epochs) {
            long[] row = {e.epoch(), e.epoch(), e.sizes().size(),
                e.sizes().stream().mapToLong(Long::longValue).min().orElse(0),
                e.sizes().stream().mapToLong(Long::longValue).max().orElse(0), e.satOut()};
            long[] previous = rows.isEmpty() ? null : rows.get(rows.size() - 1);
            if (previous != null && previous[1] + 1 == row[0]
                    && Arrays.equals(previous, 2, 6, row, 2, 6)) {
                previous[1] = row[1];
            } else {
                rows.add(row);
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            if (rows.size() > SHARD_ROWS && i == SHARD_ROWS / 2) {
                h.start("tr").element("td", "… " + (rows.size() - SHARD_ROWS) + " more rows", "colspan", "5",
                        "class", "muted").end("tr");
                i = rows.size() - SHARD_ROWS / 2;
            }
            long[] row = rows.get(i);
            h.start("tr").element("td", row[0] == row[1] ? String.valueOf(row[0]) : row[0] + "–" + row[1],
                            "class", "num")
                    .element("td", String.valueOf(row[2]), "class", "num")
                    .element("td", Fmt.count(row[3]), "class", "num").element("td", Fmt.count(row[4]), "class", "num")
                    .element("td", Fmt.count(row[5]), "class", "num").end("tr");
        }
        h.end("tbody").end("table");
        h.element("p", "Each epoch the records are sharded over the workers by a hash of (seed, epoch, record id); "
                + "records in a shard's last partial batch sit that epoch out.", "class", "note");
    }

    private static void curves(Html h, RunRecord r) {
        h.start("section", "id", "curves").element("h2", "Training curves");
        List<MetricRow> rows = r.metrics();
        if (rows.isEmpty()) {
            h.element("p", "No round has been logged to " + RunDirectory.METRICS + " yet.", "class", "note");
            h.end("section").newline();
            return;
        }
        double[] checkpoints = r.facts() == null ? new double[0]
                : r.facts().checkpoints().stream().mapToDouble(RunFacts.Checkpoint::step).toArray();
        String marks = checkpoints.length == 0 ? "" : " Dashed lines: checkpoints.";
        h.start("div", "class", "charts");
        Page.figure(h, Charts.lines("Loss", "step", "loss", List.of(series("loss", rows, MetricRow::loss)),
                checkpoints, false), "loss by step", "Mean training loss over each logged round's steps, all workers."
                + marks, "chart");
        Page.figure(h, Charts.lines("Learning rate", "step", "learning rate",
                List.of(series("learning rate", rows, MetricRow::learningRate)), new double[0], true),
                "learning rate by step", "The schedule's rate at each logged round's last step.", "chart");
        Page.figure(h, Charts.lines("Throughput", "step", r.exampleUnit() + " / s",
                List.of(series(r.exampleUnit() + "/s", rows, MetricRow::examplesPerSecond)), checkpoints, true),
                "throughput by step", "Training " + r.exampleUnit() + " per second of round wall time, all workers.",
                "chart");
        Page.figure(h, Charts.stackedAreas("Time per round", "step", "milliseconds", List.of(
                        series("compute (slowest worker)", rows, MetricRow::computeMs),
                        series("rest of the task: batches, transfer", rows,
                                m -> Math.max(0, m.taskMs() - m.computeMs())),
                        series("averaging: broadcast, scheduling, merge", rows, MetricRow::averagingMs))),
                "time per round", String.format(Locale.ROOT, "Where each round's wall time went; %s of it outside "
                        + "the workers' tasks over the logged rounds.", Fmt.percent(r.averagingShare())), "chart");
        h.end("div").newline();
        h.end("section").newline();
    }

    static Charts.Series series(String name, List<MetricRow> rows, ToDoubleFunction<MetricRow> y) {
        double[] xs = new double[rows.size()];
        double[] ys = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            xs[i] = rows.get(i).step();
            ys[i] = y.applyAsDouble(rows.get(i));
        }
        return new Charts.Series(name, xs, ys);
    }

    private static void section(Html h, RunRecord r, ReportSections.Stored s) {
        h.start("section", "id", "section-" + s.id(), "class", "family").element("h2", s.title());
        if (!s.text().isEmpty()) {
            h.element("p", s.text(), "class", "note");
        }
        sectionBody(h, r, s);
        h.end("section").newline();
    }

    /** A stored section's pictures and table. */
    static void sectionBody(Html h, RunRecord r, ReportSections.Stored s) {
        for (ReportSections.StoredFigure f : s.figures()) {
            Page.figure(h, r.dir().readBytes(DIR + "/" + f.file()), f.caption().isEmpty() ? f.file() : f.caption(),
                    f.caption(), "picture");
        }
        if (s.table() != null) {
            h.start("table", "class", "family-table compact").start("thead").start("tr");
            for (String head : s.table().header()) {
                h.element("th", head);
            }
            h.end("tr").end("thead").start("tbody");
            for (List<String> row : s.table().rows()) {
                h.start("tr");
                for (String cell : row) {
                    h.element("td", cell);
                }
                h.end("tr");
            }
            h.end("tbody").end("table");
        }
    }

    private static void evaluation(Html h, RunRecord r) {
        h.start("section", "id", "evaluation").element("h2", "Evaluation");
        if (r.evals().isEmpty()) {
            h.element("p", "No evaluation yet. Run, for example, pretext evaluate linear-probe --model "
                    + r.location() + " --train LABELLED --test LABELLED (and knn); the results land in "
                    + RunDirectory.EVAL + "/ and in this report.", "class", "note");
            h.end("section").newline();
            return;
        }
        List<EvalResult> results = r.evals().entrySet().stream().map(e -> EvalResult.of(e.getKey(), e.getValue()))
                .toList();
        h.start("table", "class", "evals").start("thead").start("tr").element("th", "Evaluation")
                .element("th", "Score").element("th", "Pretrained", "class", "num")
                .element("th", "Baseline", "class", "num").element("th", "Difference", "class", "num")
                .end("tr").end("thead").start("tbody");
        List<String> categories = new ArrayList<>();
        double[] pretrained = new double[countScores(results)];
        double[] baseline = new double[pretrained.length];
        for (EvalResult e : results) {
            for (EvalResult.Score s : e.scores()) {
                boolean better = s.beatsBaseline();
                h.start("tr", "data-eval", e.name(), "data-metric", s.metric())
                        .element("th", Fmt.evalName(e.name()))
                        .element("td", s.metric() + (Double.isFinite(s.baseline()) ? " vs " + s.baselineName() : ""))
                        .element("td", Fmt.decimal4(s.value()), "class", "num", "data-key", "pretrained")
                        .element("td", Fmt.decimal4(s.baseline()), "class", "num", "data-key", "baseline")
                        .element("td", Fmt.difference(s.value(), s.baseline()), "class",
                                Double.isFinite(s.baseline()) ? (better ? "num better" : "num worse") : "num")
                        .end("tr");
                pretrained[categories.size()] = s.value();
                baseline[categories.size()] = s.baseline();
                categories.add(Fmt.evalName(e.name()) + (e.scores().size() > 1 ? " " + s.metric() : ""));
            }
        }
        h.end("tbody").end("table");
        h.start("div", "class", "columns");
        h.start("div").element("h3", "Settings and data");
        h.start("table", "class", "eval-details").start("thead").start("tr").element("th", "");
        results.forEach(e -> h.element("th", Fmt.evalName(e.name())));
        h.end("tr").end("thead").start("tbody");
        Set<String> keys = new LinkedHashSet<>();
        results.forEach(e -> keys.addAll(e.details().keySet()));
        for (String key : keys) {
            h.start("tr", "data-key", key).element("th", key);
            results.forEach(e -> h.element("td", e.details().getOrDefault(key, Fmt.NONE), "class", "mono"));
            h.end("tr");
        }
        h.end("tbody").end("table").end("div");
        if (!categories.isEmpty()) {
            Map<String, double[]> bars = new LinkedHashMap<>();
            bars.put("pretrained", pretrained);
            bars.put("baseline", baseline);
            h.start("div");
            Page.figure(h, Charts.bars("Pretrained vs baseline", "score", categories, bars),
                    "evaluation scores", "Each evaluation's baseline is scored in the same evaluation run: "
                            + results.stream().map(EvalResult::baselineName).distinct()
                            .map(b -> b.equals("random init") ? "the same architecture at its random initialisation"
                                    : b).collect(Collectors.joining("; ")) + ".", "chart");
            h.end("div");
        }
        h.end("div");
        h.end("section").newline();
    }

    private static int countScores(List<EvalResult> results) {
        return results.stream().mapToInt(e -> e.scores().size()).sum();
    }

    private static void configuration(Html h, RunRecord r) {
        h.start("section", "id", "configuration").element("h2", "Configuration");
        h.start("div", "class", "columns");
        h.start("div").element("h3", RunDirectory.CONFIG + " (resolved)")
                .element("pre", r.configYaml().isEmpty() ? "(missing)" : r.configYaml()).end("div");
        h.start("div").element("h3", RunDirectory.MANIFEST).start("table", "class", "kv");
        r.manifest().fields().forEachRemaining(e -> Page.row(h, e.getKey(), e.getValue().asText(),
                "manifest-" + e.getKey()));
        h.end("table").end("div");
        h.end("div");
        h.end("section").newline();
    }
}
