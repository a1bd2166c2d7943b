package io.pretext.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code eval/NAME.json} as the reports show it. Any evaluation works: a numeric field {@code x} with a
 * sibling {@code randomInitX} is a score next to its random-init baseline (the probes' {@code accuracy} and
 * {@code randomInitAccuracy}); with a sibling {@code baselineX} it is a score next to another baseline, which the
 * file's text field {@code baseline} names (the anomaly evaluation's {@code auroc} and {@code baselineAuroc}, PCA);
 * a numeric field without one is a score alone; other plain fields are details.
 *
 * @param name         the file name without {@code .json}
 * @param scores       scores in file order
 * @param details      settings and sizes (data paths, k, regularisation, image counts), in file order
 * @param baselineName what the baselines are: {@code random init}, or the file's {@code baseline} text
 */
record EvalResult(String name, List<Score> scores, Map<String, String> details, String baselineName) {

    /** Fields that name the file, not the result. */
    private static final Set<String> HOUSEKEEPING = Set.of("probe", "model");
    /** Numeric fields that describe the evaluation rather than score it. */
    private static final Set<String> SIZES = Set.of("trainImages", "testImages", "classes", "k", "regParam",
            "maxIter", "featureSize", "trainRecords", "testRecords", "examples", "normalRecords",
            "anomalousRecords", "components", "pcaFitRecords", "threshold", "quantile");
    /** Prefixes of baseline fields, each followed by the capitalised name of its score. */
    private static final List<String> BASELINE_PREFIXES = List.of("randomInit", "baseline");
    private static final String RANDOM_INIT = "random init";

    /** @param baseline the baseline's score, NaN when the evaluation has none */
    record Score(String metric, double value, double baseline) {
    }

    static EvalResult of(String name, JsonNode node) {
        List<Score> scores = new ArrayList<>();
        Map<String, String> details = new LinkedHashMap<>();
        String baselineName = RANDOM_INIT;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (HOUSEKEEPING.contains(key) || !value.isValueNode() || isBaseline(key, node)) {
                continue;
            }
            if (value.isNumber() && !SIZES.contains(key)) {
                double baseline = Double.NaN;
                for (String prefix : BASELINE_PREFIXES) {
                    JsonNode b = node.get(baselineKey(prefix, key));
                    if (b != null && b.isNumber()) {
                        baseline = b.asDouble();
                        baselineName = prefix.equals("randomInit") ? RANDOM_INIT : node.path("baseline").asText(prefix);
                        break;
                    }
                }
                scores.add(new Score(key, value.asDouble(), baseline));
            } else {
                details.put(key, value.asText());
            }
        }
        return new EvalResult(name, scores, details, baselineName);
    }

    private static String baselineKey(String prefix, String metric) {
        return prefix + Character.toUpperCase(metric.charAt(0)) + metric.substring(1);
    }

    private static boolean isBaseline(String key, JsonNode node) {
        for (String prefix : BASELINE_PREFIXES) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                String rest = key.substring(prefix.length());
                if (node.has(Character.toLowerCase(rest.charAt(0)) + rest.substring(1))) {
                    return true;
                }
            }
        }
        return false;
    }
}
