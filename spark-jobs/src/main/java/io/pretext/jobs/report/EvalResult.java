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
 * {@code randomInitAccuracy}); a numeric field without one is a score alone; other plain fields are details.
 *
 * @param name    the file name without {@code .json}
 * @param scores  scores in file order
 * @param details settings and sizes (data paths, k, regularisation, image counts), in file order
 */
record EvalResult(String name, List<Score> scores, Map<String, String> details) {

    /** Fields that name the file, not the result. */
    private static final Set<String> HOUSEKEEPING = Set.of("probe", "model");
    /** Numeric fields that describe the evaluation rather than score it. */
    private static final Set<String> SIZES = Set.of("trainImages", "testImages", "classes", "k", "regParam",
            "maxIter", "featureSize", "trainRecords", "testRecords", "examples");

    /** @param baseline the random-init score, NaN when the evaluation has none */
    record Score(String metric, double value, double baseline) {
    }

    static EvalResult of(String name, JsonNode node) {
        List<Score> scores = new ArrayList<>();
        Map<String, String> details = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (HOUSEKEEPING.contains(key) || !value.isValueNode() || isBaseline(key, node)) {
                continue;
            }
            if (value.isNumber() && !SIZES.contains(key)) {
                JsonNode baseline = node.get(baselineKey(key));
                scores.add(new Score(key, value.asDouble(),
                        baseline != null && baseline.isNumber() ? baseline.asDouble() : Double.NaN));
            } else {
                details.put(key, value.asText());
            }
        }
        return new EvalResult(name, scores, details);
    }

    static String baselineKey(String metric) {
        return "randomInit" + Character.toUpperCase(metric.charAt(0)) + metric.substring(1);
    }

    private static boolean isBaseline(String key, JsonNode node) {
        if (!key.startsWith("randomInit") || key.length() == "randomInit".length()) {
            return false;
        }
        String rest = key.substring("randomInit".length());
        return node.has(Character.toLowerCase(rest.charAt(0)) + rest.substring(1));
    }
}
