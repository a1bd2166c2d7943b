package io.pretext.jobs.report;

import io.pretext.jobs.report.RunRecord.MetricRow;
import io.pretext.jobs.storage.HadoopPaths;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One self-contained page comparing several runs: a table of the runs, their evaluations next to the baselines,
 * their curves overlaid, the settings in which they differ, and the model families' sections side by side. Runs of
 * different model families compare too: each shows what it has, and what it lacks is a dash.
 */
public final class CompareReport {

    private CompareReport() {
    }

    /**
     * Reads the runs and writes the page to {@code out} (any Hadoop URI or local path) through a temporary sibling.
     *
     * @return where it was written
     */
    public static Path write(List<String> runLocations, String out) {
        if (runLocations.size() < 2) {
            throw new IllegalArgumentException("compare needs at least two run directories, got "
                    + runLocations.size());
        }
        List<RunRecord> runs = runLocations.stream().map(RunRecord::read).toList();
        String html = render(runs);
        Path target = HadoopPaths.of(out);
        try {
            FileSystem fs = HadoopPaths.fileSystem(target);
            target = fs.makeQualified(target);
            Path parent = target.getParent();
            if (parent != null) {
                fs.mkdirs(parent);
            }
            Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
            try (FSDataOutputStream stream = fs.create(tmp, true)) {
                stream.write(html.getBytes(StandardCharsets.UTF_8));
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(tmp, target)) {
                fs.delete(tmp, false);
                throw new IOException("rename " + tmp + " -> " + target + " failed");
            }
            return target;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write --out " + out + ": " + e.getMessage()
                    + " (choose a location you can write to)", e);
        }
    }

    static String render(List<RunRecord> runs) {
        List<String> labels = labels(runs);
        Html h = new Html();
        List<String[]> anchors = List.of(new String[]{"runs", "Runs"}, new String[]{"evaluation", "Evaluation"},
                new String[]{"curves", "Curves"}, new String[]{"settings", "Settings"},
                new String[]{"sections", "Model sections"});
        Page.open(h, "Pretext: " + String.join(" vs ", labels), "Comparing " + runs.size() + " runs", null, true,
                String.join("  ·  ", labels), anchors);
        runsTable(h, runs, labels);
        evaluation(h, runs, labels);
        curves(h, runs, labels);
        settings(h, runs, labels);
        sections(h, runs, labels);
        Page.close(h);
        return h.toString();
    }

    /** The runs' directory names, made unique with a number where two are alike. */
    static List<String> labels(List<RunRecord> runs) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (RunRecord r : runs) {
            int n = seen.merge(r.label(), 1, Integer::sum);
            out.add(n == 1 ? r.label() : r.label() + " (" + n + ")");
        }
        return out;
    }

    private static void runsTable(Html h, List<RunRecord> runs, List<String> labels) {
        h.start("section", "id", "runs").element("h2", "Runs");
        h.start("table", "class", "runs").start("thead").start("tr");
        for (String head : List.of("Run", "Model", "Parameters", "Steps", "Final loss", "Throughput", "Averaging",
                "Training time", "Status")) {
            h.element("th", head, "class", head.equals("Run") || head.equals("Model") || head.equals("Status")
                    ? null : "num");
        }
        h.end("tr").end("thead").start("tbody");
        for (int i = 0; i < runs.size(); i++) {
            RunRecord r = runs.get(i);
            MetricRow last = r.last();
            h.start("tr", "data-run", labels.get(i))
                    .start("td").element("div", labels.get(i)).element("div", r.location(), "class",
                            "muted mono").end("td")
                    .element("td", r.model() + (r.variant().isEmpty() ? "" : ", " + r.variant()))
                    .element("td", Fmt.count(r.parameters()), "class", "num")
                    .element("td", Fmt.count(r.steps()), "class", "num")
                    .element("td", last == null ? Fmt.NONE : Fmt.decimal4(last.loss()), "class", "num",
                            "data-key", "final-loss")
                    .element("td", Fmt.rate(r.examplesPerSecond()) + " " + r.exampleUnit() + "/s", "class", "num")
                    .element("td", Fmt.percent(r.averagingShare()), "class", "num")
                    .element("td", Fmt.duration(r.trainMillis()), "class", "num")
                    .element("td", RunReport.status(r)).end("tr");
        }
        h.end("tbody").end("table").end("section").newline();
    }

    private static void evaluation(Html h, List<RunRecord> runs, List<String> labels) {
        h.start("section", "id", "evaluation").element("h2", "Evaluation");
        // evaluation name -> metric names, in order of first appearance
        Map<String, Set<String>> columns = new LinkedHashMap<>();
        List<Map<String, EvalResult>> results = new ArrayList<>();
        for (RunRecord r : runs) {
            Map<String, EvalResult> byName = new LinkedHashMap<>();
            r.evals().forEach((name, node) -> {
                EvalResult e = EvalResult.of(name, node);
                byName.put(name, e);
                e.scores().forEach(s -> columns.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(s.metric()));
            });
            results.add(byName);
        }
        if (columns.isEmpty()) {
            h.element("p", "None of these runs has been evaluated (eval/*.json).", "class", "note")
                    .end("section").newline();
            return;
        }
        h.start("table", "class", "evals").start("thead").start("tr").element("th", "Run");
        columns.forEach((name, metrics) -> metrics.forEach(metric -> h.element("th",
                Fmt.evalName(name) + " " + metric + " (baseline)", "class", "num")));
        h.end("tr").end("thead").start("tbody");
        for (int i = 0; i < runs.size(); i++) {
            h.start("tr", "data-run", labels.get(i)).element("th", labels.get(i));
            for (Map.Entry<String, Set<String>> column : columns.entrySet()) {
                EvalResult e = results.get(i).get(column.getKey());
                for (String metric : column.getValue()) {
                    EvalResult.Score s = e == null ? null : e.scores().stream()
                            .filter(x -> x.metric().equals(metric)).findFirst().orElse(null);
                    String text = s == null ? Fmt.NONE : Fmt.decimal4(s.value())
                            + (Double.isFinite(s.baseline()) ? " (" + Fmt.decimal4(s.baseline()) + ")" : "");
                    h.element("td", text, "class", "num", "data-eval", column.getKey(), "data-metric", metric);
                }
            }
            h.end("tr");
        }
        h.end("tbody").end("table");
        h.element("p", "Each score is the pretrained model's, with its baseline scored in the same evaluation run in "
                + "brackets: the same architecture at random initialisation, or the reference the evaluation names.",
                "class", "note");
        h.end("section").newline();
    }

    private static void curves(Html h, List<RunRecord> runs, List<String> labels) {
        h.start("section", "id", "curves").element("h2", "Training curves");
        if (runs.stream().allMatch(r -> r.metrics().isEmpty())) {
            h.element("p", "No run has logged a round yet.", "class", "note").end("section").newline();
            return;
        }
        h.start("div", "class", "charts");
        Page.figure(h, Charts.lines("Loss", "step", "loss", overlay(runs, labels, MetricRow::loss), new double[0],
                        false),
                "loss by step", "Each run's training loss; different model families have different losses.", "chart");
        Page.figure(h, Charts.lines("Learning rate", "step", "learning rate",
                overlay(runs, labels, MetricRow::learningRate), new double[0], true), "learning rate by step", "",
                "chart");
        Page.figure(h, Charts.lines("Throughput", "step", "examples / s",
                overlay(runs, labels, MetricRow::examplesPerSecond), new double[0], true), "throughput by step",
                "Examples (images, sequences, ...) per second of round wall time, all workers.", "chart");
        Page.figure(h, Charts.lines("Averaging share of round time", "step", "% of round",
                overlay(runs, labels, m -> 100 * m.averagingShare()), new double[0], true),
                "averaging share by step",
                "Time outside the workers' tasks (broadcast, scheduling, transfer, averaging) per round.", "chart");
        h.end("div").end("section").newline();
    }

    private static List<Charts.Series> overlay(List<RunRecord> runs, List<String> labels,
                                               ToDoubleFunction<MetricRow> y) {
        List<Charts.Series> series = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            series.add(RunReport.series(labels.get(i), runs.get(i).metrics(), y));
        }
        return series;
    }

    private static void settings(Html h, List<RunRecord> runs, List<String> labels) {
        h.start("section", "id", "settings").element("h2", "Settings that differ");
        Set<String> keys = new LinkedHashSet<>();
        keys.add("model");
        runs.forEach(r -> keys.addAll(r.config().keySet()));
        List<String> differing = new ArrayList<>();
        Function<RunRecord, Map<String, String>> settingsOf = r -> {
            Map<String, String> all = new LinkedHashMap<>(r.config());
            all.put("model", r.model());
            all.put("data", r.manifest().path("data").asText(Fmt.NONE));
            return all;
        };
        keys.add("data");
        List<Map<String, String>> values = runs.stream().map(settingsOf).toList();
        for (String key : keys) {
            String first = values.get(0).get(key);
            if (values.stream().anyMatch(v -> !Objects.equals(v.get(key), first))) {
                differing.add(key);
            }
        }
        if (differing.isEmpty()) {
            h.element("p", "The runs have identical settings and data.", "class", "note");
        } else {
            h.start("table", "class", "settings").start("thead").start("tr").element("th", "Setting");
            labels.forEach(label -> h.element("th", label));
            h.end("tr").end("thead").start("tbody");
            for (String key : differing) {
                h.start("tr", "data-setting", key).element("td", key, "class", "mono");
                for (Map<String, String> v : values) {
                    h.element("td", v.getOrDefault(key, Fmt.NONE), "class", "mono");
                }
                h.end("tr");
            }
            h.end("tbody").end("table");
            h.element("p", (keys.size() - differing.size()) + " other settings are the same in every run.",
                    "class", "note");
        }
        h.end("section").newline();
    }

    private static void sections(Html h, List<RunRecord> runs, List<String> labels) {
        Map<String, String> titles = new LinkedHashMap<>();
        runs.forEach(r -> r.sections().forEach(s -> titles.putIfAbsent(s.id(), s.title())));
        h.start("section", "id", "sections").element("h2", "Model sections");
        if (titles.isEmpty()) {
            h.element("p", "None of these runs has model-specific sections.", "class", "note");
        }
        titles.forEach((id, title) -> {
            h.element("h3", title);
            h.start("div", "class", "columns");
            for (int i = 0; i < runs.size(); i++) {
                RunRecord r = runs.get(i);
                h.start("div", "data-run", labels.get(i)).element("p", labels.get(i), "class", "muted");
                r.sections().stream().filter(s -> s.id().equals(id)).findFirst().ifPresentOrElse(
                        s -> RunReport.sectionBody(h, r, s),
                        () -> h.element("p", Fmt.NONE + " (a " + r.model() + " run has no such section)", "class",
                                "note"));
                h.end("div");
            }
            h.end("div");
        });
        h.end("section").newline();
    }
}
