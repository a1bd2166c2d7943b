package io.pretext.jobs.autoencoder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** AUROC and average precision on closed-form cases, ties included, and AUROC against counting pairs. */
class AnomalyMetricsTest {

    record Case(String name, double[] normal, double[] anomalous, double auroc, double averagePrecision) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("perfect separation", new double[]{0.1, 0.2}, new double[]{0.8, 0.9}, 1.0, 1.0),
                // descending: N, N, A (precision 1/3), A (precision 2/4)
                new Case("reversed", new double[]{0.8, 0.9}, new double[]{0.1, 0.2}, 0.0, 0.5 / 3 + 0.5 * 0.5),
                new Case("all tied", new double[]{0.5, 0.5}, new double[]{0.5}, 0.5, 1.0 / 3),
                // scikit-learn's documented example: y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8]
                new Case("scikit-learn example", new double[]{0.1, 0.4}, new double[]{0.35, 0.8}, 0.75,
                        0.5 * 1 + 0.5 * 2.0 / 3),
                // pairs: (0.5, 0.2) 1, (0.5, 0.5) 1/2, (0.9, 0.2) 1, (0.9, 0.5) 1; the tie at 0.5 is one threshold
                new Case("tie across the classes", new double[]{0.2, 0.5}, new double[]{0.5, 0.9}, 3.5 / 4,
                        0.5 * 1 + 0.5 * 2.0 / 3));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aurocIsTheShareOfCorrectlyOrderedPairs(Case c) {
        assertEquals(c.auroc(), AnomalyMetrics.auroc(c.normal(), c.anomalous()), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void averagePrecisionIsTheMeanPrecisionAtEachAnomaly(Case c) {
        assertEquals(c.averagePrecision(), AnomalyMetrics.averagePrecision(c.normal(), c.anomalous()), 1e-12);
    }

    @Test
    void aurocMatchesCountingEveryPairOnRoundedRandomScores() {
        Random random = new Random(3);
        double[] normal = new double[300];
        double[] anomalous = new double[120];
        for (int i = 0; i < normal.length; i++) {
            normal[i] = Math.round(random.nextGaussian() * 10) / 10.0; // rounding makes ties
        }
        for (int i = 0; i < anomalous.length; i++) {
            anomalous[i] = Math.round((random.nextGaussian() + 0.7) * 10) / 10.0;
        }
        double pairs = 0;
        for (double a : anomalous) {
            for (double n : normal) {
                pairs += a > n ? 1 : a == n ? 0.5 : 0;
            }
        }
        assertEquals(pairs / (normal.length * anomalous.length), AnomalyMetrics.auroc(normal, anomalous), 1e-12);
    }

    @Test
    void refusesAnEmptyClass() {
        assertThrows(IllegalArgumentException.class, () -> AnomalyMetrics.auroc(new double[]{1}, new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> AnomalyMetrics.averagePrecision(new double[0], new double[]{1}));
    }
}
