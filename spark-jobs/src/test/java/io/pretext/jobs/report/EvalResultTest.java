package io.pretext.jobs.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Any eval/NAME.json reads as scores (with their random-init baselines where given) and details. */
class EvalResultTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Case(String name, String json, List<EvalResult.Score> scores, List<String> details) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("linear probe", """
                        {"probe":"linear-probe","model":"file:/r","train":"/t","trainImages":120,"classes":4,
                         "regParam":1e-4,"accuracy":0.9167,"randomInitAccuracy":0.925,"featureSize":128,
                         "evaluatedAt":"2026-11-26T08:33:44Z"}""",
                        List.of(new EvalResult.Score("accuracy", 0.9167, 0.925)),
                        List.of("train", "trainImages", "classes", "regParam", "featureSize", "evaluatedAt")),
                new Case("score without baseline", """
                        {"mlmAccuracy":0.41,"nspAccuracy":0.77,"randomInitNspAccuracy":0.5,"examples":1000}""",
                        List.of(new EvalResult.Score("mlmAccuracy", 0.41, Double.NaN),
                                new EvalResult.Score("nspAccuracy", 0.77, 0.5)),
                        List.of("examples")),
                new Case("a baseline-like name without its score is a score", """
                        {"randomInitSomething":0.3}""",
                        List.of(new EvalResult.Score("randomInitSomething", 0.3, Double.NaN)), List.of()),
                new Case("a named baseline", """
                        {"accuracy":0.31,"baselineAccuracy":0.06,"perplexity":140.2,"baselinePerplexity":980.5,
                         "sequences":400,"maskedTokens":7600,"mostFrequentToken":"the"}""",
                        List.of(new EvalResult.Score("accuracy", 0.31, 0.06, "baseline"),
                                new EvalResult.Score("perplexity", 140.2, 980.5, "baseline")),
                        List.of("sequences", "maskedTokens", "mostFrequentToken")),
                new Case("nested objects are left out", """
                        {"auroc":0.93,"randomInitAuroc":0.61,"curve":{"x":[0,1]}}""",
                        List.of(new EvalResult.Score("auroc", 0.93, 0.61)), List.of()),
                new Case("another baseline", """
                        {"evaluation":"anomaly","normalRecords":40,"baseline":"PCA, 8 components","auroc":0.81,
                         "baselineAuroc":0.88,"negElboAuroc":0.79,"threshold":0.67}""",
                        List.of(new EvalResult.Score("auroc", 0.81, 0.88, "PCA, 8 components"),
                                new EvalResult.Score("negElboAuroc", 0.79, Double.NaN)),
                        List.of("evaluation", "normalRecords", "baseline", "threshold")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void namesTheBaselineItCompares(Case c) throws Exception {
        EvalResult result = EvalResult.of(c.name(), JSON.readTree(c.json()));
        String expected = c.json().contains("baselineAuroc") ? "PCA, 8 components"
                : c.json().contains("baselineAccuracy") ? "baseline" : "random init";
        assertEquals(expected, result.baselineName());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void readsScoresBaselinesAndDetails(Case c) throws Exception {
        EvalResult result = EvalResult.of(c.name(), JSON.readTree(c.json()));
        assertEquals(c.scores(), result.scores());
        assertEquals(c.details(), List.copyOf(result.details().keySet()));
    }

    record Better(String metric, double value, double baseline, boolean beats) {
    }

    static List<Better> comparisons() {
        return List.of(new Better("accuracy", 0.31, 0.06, true), new Better("accuracy", 0.05, 0.06, false),
                new Better("perplexity", 140.2, 980.5, true), new Better("perplexity", 990.0, 980.5, false),
                new Better("finalLoss", 2.1, 3.4, true));
    }

    @ParameterizedTest
    @MethodSource("comparisons")
    void perplexitiesAndLossesBeatTheirBaselineWhenLower(Better b) {
        assertEquals(b.beats(), new EvalResult.Score(b.metric(), b.value(), b.baseline(), "baseline").beatsBaseline());
    }
}
