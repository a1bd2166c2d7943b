package io.pretext.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@code eval/NAME.json} as the reports show it. Any evaluation works: a numeric field {@code x} with a
 * sibling {@code randomInitX} is a score next to its random-init baseline (the probes' {@code accuracy} and
 * {@code randomInitAccuracy}), one with a sibling {@code baselineX} a score next to a reference the evaluation
 * names itself in its text field {@code baseline} (the most frequent token, a bag-of-words classifier, PCA for the
 * anomaly evaluation's {@code auroc} and {@code baselineAuroc}); a numeric field without either is a score
 * alone; other plain fields are details. Scores whose name says perplexity, loss, error or cross-entropy are better
 * when lower.
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
            "maxIter", "featureSize", "trainRecords", "testRecords", "examples", "documents", "sequences",
            "maskedTokens", "trainDocuments", "testDocuments", "maxSeqLength", "seed", "bagOfWordsVocabSize",
            "rejectedDocuments", "trainRejected", "testRejected", "normalRecords", "anomalousRecords", "components",
            "pcaFitRecords", "threshold", "quantile");

    /** The prefixes of baseline fields, and how the reports call each kind of baseline. */
    private static final Map<String, String> BASELINES = baselines();

    /**
     * @param baseline     the baseline's score, NaN when the evaluation has none
     * @param baselineName "random init", the evaluation's {@code baseline} text (or "baseline"), empty without one
     */
    record Score(String metric, double value, double baseline, String baselineName) {

        /** A score with a random-init baseline, or none when {@code baseline} is NaN. */
        Score(String metric, double value, double baseline) {
            this(metric, value, baseline, Double.isNaN(baseline) ? "" : BASELINES.get("randomInit"));
        }

        /** Whether the score beats its baseline (lower is better for perplexities, losses and errors). */
        boolean beatsBaseline() {
            return lowerIsBetter(metric) ? value < baseline : value > baseline;
        }
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
                Score score = new Score(key, value.asDouble(), Double.NaN, "");
                for (Map.Entry<String, String> kind : BASELINES.entrySet()) {
                    JsonNode baseline = node.get(baselineKey(kind.getKey(), key));
                    if (baseline != null && baseline.isNumber()) {
                        String named = kind.getKey().equals("baseline") ? shortName(node, kind.getValue())
                                : kind.getValue();
                        score = new Score(key, value.asDouble(), baseline.asDouble(), named);
                        break;
                    }
                }
                scores.add(score);
            } else {
                details.put(key, value.asText());
            }
        }
        return new EvalResult(name, scores, details);
    }

    /** The evaluation's {@code baseline} text when it is a short name ("PCA, 8 components"), else {@code fallback}. */
    private static String shortName(JsonNode node, String fallback) {
        String text = node.path("baseline").asText("");
        return text.isEmpty() || text.length() > 40 ? fallback : text;
    }

    /** What this evaluation's baselines are: the first score's baseline name, "random init" without any. */
    String baselineName() {
        return scores.stream().map(Score::baselineName).filter(n -> !n.isEmpty()).findFirst()
                .orElse(BASELINES.get("randomInit"));
    }

    private static Map<String, String> baselines() {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("randomInit", "random init");
        kinds.put("baseline", "baseline");
        return Collections.unmodifiableMap(kinds);
    }

    static String baselineKey(String prefix, String metric) {
        return prefix + Character.toUpperCase(metric.charAt(0)) + metric.substring(1);
    }

    static boolean lowerIsBetter(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        return m.contains("perplexity") || m.contains("loss") || m.contains("error") || m.contains("crossentropy");
    }

    private static boolean isBaseline(String key, JsonNode node) {
        for (String prefix : BASELINES.keySet()) {
            if (key.startsWith(prefix) && key.length() > prefix.length()
                    && Character.isUpperCase(key.charAt(prefix.length()))) {
                String rest = key.substring(prefix.length());
                if (node.has(Character.toLowerCase(rest.charAt(0)) + rest.substring(1))) {
                    return true;
                }
            }
        }
        return false;
    }
}
