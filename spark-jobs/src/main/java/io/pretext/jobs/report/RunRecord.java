package io.pretext.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.hadoop.fs.FileStatus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the reports show about one run, read from its directory. Only {@code manifest.json} is required; a
 * run in progress has no summary yet, and a run made before reports existed has no {@code report/run.json}.
 *
 * @param dir        the run directory
 * @param label      the run's name in reports: the directory's last path segment
 * @param manifest   {@code manifest.json}
 * @param configYaml {@code config.yaml} as written, or empty
 * @param config     the same flattened to dotted keys, in file order
 * @param summary    {@code summary.json}, or null while the run has not finished
 * @param facts      {@code report/run.json}, or null
 * @param metrics    {@code metrics.jsonl}, one row per logged round (a line cut by a crash is skipped)
 * @param rejects    the first lines of {@code rejected.jsonl}
 * @param evals      {@code eval/NAME.json} by NAME, sorted
 * @param sections   the model family's stored report sections
 */
record RunRecord(RunDirectory dir, String label, JsonNode manifest, String configYaml, Map<String, String> config,
                 JsonNode summary, RunFacts facts, List<MetricRow> metrics, List<JsonNode> rejects,
                 Map<String, JsonNode> evals, List<ReportSections.Stored> sections) {

    /** Rejected inputs read for the report: a few examples per reason are shown. */
    static final int MAX_REJECTS = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One line of {@code metrics.jsonl}; fields missing from older files read as 0. */
    record MetricRow(long step, int epoch, int round, double loss, double learningRate, double examplesPerSecond,
                     long examples, int workers, long roundMs, long computeMs, long taskMs, long dataWaitMs,
                     long averagingMs, double averagingShare, long elapsedMs) {

        static MetricRow of(JsonNode n) {
            return new MetricRow(n.path("step").asLong(), n.path("epoch").asInt(), n.path("round").asInt(),
                    n.path("loss").asDouble(Double.NaN), n.path("lr").asDouble(Double.NaN),
                    n.path("examplesPerSec").asDouble(Double.NaN), n.path("examples").asLong(),
                    n.path("workers").asInt(), n.path("roundMs").asLong(), n.path("computeMs").asLong(),
                    n.path("taskMs").asLong(), n.path("dataWaitMs").asLong(), n.path("averagingMs").asLong(),
                    n.path("averagingShare").asDouble(), n.path("elapsedMs").asLong());
        }
    }

    /** Reads a run directory; a location that is not one fails with the reason and what to give instead. */
    static RunRecord read(String location) {
        RunDirectory dir = RunDirectory.open(location);
        if (!dir.exists(RunDirectory.MANIFEST)) {
            throw new IllegalArgumentException(location + " is not a Pretext run directory (it has no "
                    + RunDirectory.MANIFEST + "; give the --out directory of a pretext pretrain run)");
        }
        return read(dir);
    }

    static RunRecord read(RunDirectory dir) {
        JsonNode manifest = json(dir, RunDirectory.MANIFEST);
        String configYaml = dir.exists(RunDirectory.CONFIG) ? dir.readString(RunDirectory.CONFIG) : "";
        JsonNode summary = dir.exists(RunDirectory.SUMMARY) ? json(dir, RunDirectory.SUMMARY) : null;
        return new RunRecord(dir, label(dir.root().toString()), manifest, configYaml,
                flatten(configYaml, dir), summary, RunFacts.read(dir), metrics(dir), rejects(dir), evals(dir),
                ReportSections.read(dir));
    }

    /** Where the run is, as shown: its qualified URI without a trailing slash. */
    String location() {
        String root = dir.root().toString();
        return root.length() > 1 && root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /** The last path segment: a local directory's URI may end in a slash. */
    static String label(String root) {
        String trimmed = root.replaceAll("/+$", "");
        String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return name.isEmpty() ? root : name;
    }

    String model() {
        return manifest.path("model").asText("?");
    }

    /** The model's named variant from the config (preset, encoder or type), or empty. */
    String variant() {
        for (String key : List.of("model.preset", "model.encoder", "model.type", "model.variant")) {
            if (config.containsKey(key)) {
                return config.get(key);
            }
        }
        return "";
    }

    String exampleUnit() {
        return facts != null ? facts.setup().exampleUnit() : "examples";
    }

    boolean finished() {
        return summary != null;
    }

    /** The last logged round, or null before the first. */
    MetricRow last() {
        return metrics.isEmpty() ? null : metrics.get(metrics.size() - 1);
    }

    /** Trainable parameters, or -1 when no file records them. */
    long parameters() {
        if (summary != null) {
            return summary.path("parameters").asLong(-1);
        }
        return facts != null ? facts.setup().parameters() : -1;
    }

    /** Steps planned, or -1 when unknown. */
    long plannedSteps() {
        return facts != null ? facts.setup().plannedSteps() : summary != null ? summary.path("steps").asLong() : -1;
    }

    /** Steps done so far. */
    long steps() {
        if (summary != null) {
            return summary.path("steps").asLong();
        }
        MetricRow last = last();
        return last == null ? 0 : last.step();
    }

    /** Mean throughput over the run (the summary's), else over the logged rounds; NaN before the first. */
    double examplesPerSecond() {
        if (summary != null && summary.has("examplesPerSecond")) {
            return summary.path("examplesPerSecond").asDouble();
        }
        return metrics.stream().mapToDouble(MetricRow::examplesPerSecond).filter(Double::isFinite).average()
                .orElse(Double.NaN);
    }

    /** Share of round time spent outside the slowest worker's task, over all logged rounds; NaN before the first. */
    double averagingShare() {
        long wall = metrics.stream().mapToLong(MetricRow::roundMs).sum();
        long averaging = metrics.stream().mapToLong(MetricRow::averagingMs).sum();
        return wall == 0 ? Double.NaN : (double) averaging / wall;
    }

    /** Training wall time so far in milliseconds. */
    long trainMillis() {
        if (summary != null) {
            return summary.path("trainMillis").asLong();
        }
        MetricRow last = last();
        return last == null ? 0 : last.elapsedMs();
    }

    private static JsonNode json(RunDirectory dir, String file) {
        try {
            return JSON.readTree(dir.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable " + dir.path(file) + ": " + e.getMessage());
        }
    }

    /** Dotted keys to scalar values, e.g. {@code model.encoder -> small-cnn}. */
    private static Map<String, String> flatten(String yaml, RunDirectory dir) {
        Map<String, String> out = new LinkedHashMap<>();
        if (yaml.isBlank()) {
            return out;
        }
        try {
            flatten("", YAML.readTree(yaml), out);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable " + dir.path(RunDirectory.CONFIG) + ": " + e.getMessage());
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            out.put(prefix, node.toString());
        } else {
            out.put(prefix, node.isNull() ? "null" : node.asText());
        }
    }

    private static List<MetricRow> metrics(RunDirectory dir) {
        List<MetricRow> rows = new ArrayList<>();
        if (!dir.exists(RunDirectory.METRICS)) {
            return rows;
        }
        for (String line : lines(dir, RunDirectory.METRICS, Integer.MAX_VALUE)) {
            try {
                rows.add(MetricRow.of(JSON.readTree(line)));
            } catch (IOException torn) {
                // a line cut by a crash or still being written: the next report has it
            }
        }
        return rows;
    }

    private static List<JsonNode> rejects(RunDirectory dir) {
        List<JsonNode> rows = new ArrayList<>();
        if (!dir.exists(RunDirectory.REJECTED)) {
            return rows;
        }
        for (String line : lines(dir, RunDirectory.REJECTED, MAX_REJECTS)) {
            try {
                rows.add(JSON.readTree(line));
            } catch (IOException torn) {
                // written atomically, so only a hand-edited file gets here: the line is left out
            }
        }
        return rows;
    }

    private static Map<String, JsonNode> evals(RunDirectory dir) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (FileStatus status : dir.list(RunDirectory.EVAL)) {
            String name = status.getPath().getName();
            if (status.isFile() && name.endsWith(".json") && !name.startsWith(".")) {
                out.put(name.substring(0, name.length() - ".json".length()),
                        json(dir, RunDirectory.EVAL + "/" + name));
            }
        }
        return out;
    }

    private static List<String> lines(RunDirectory dir, String file, int max) {
        List<String> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(dir.openInput(file),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null && out.size() < max; line = in.readLine()) {
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable " + dir.path(file) + ": " + e.getMessage());
        }
        return out;
    }
}
