package io.pretext.jobs.autoencoder;

import io.pretext.jobs.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Exact nearest-rank quantiles of scores spread over Spark partitions, and the threshold fitted from them. */
class AnomalyThresholdTest {

    /** 1..100 in a shuffled order over 4 partitions. */
    private static JavaRDD<Double> oneToHundred() {
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            values.add((double) i);
        }
        Collections.shuffle(values, new Random(1));
        return JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext()).parallelize(values, 4);
    }

    @Test
    void quantilesAreTheValuesAtTheirNearestRank() {
        Map<Double, Double> q = AnomalyThreshold.quantiles(oneToHundred(), 100, Set.of(0.01, 0.5, 0.9, 0.99, 0.999));
        assertEquals(Map.of(0.01, 1.0, 0.5, 50.0, 0.9, 90.0, 0.99, 99.0, 0.999, 100.0), q);
    }

    @Test
    void rankStaysWithinTheValues() {
        assertEquals(0, AnomalyThreshold.rank(0.99, 1));
        assertEquals(0, AnomalyThreshold.rank(1e-9, 10));
        assertEquals(9, AnomalyThreshold.rank(0.95, 10)); // ceil(9.5) = 10th value
    }

    @Test
    void thresholdOfAPlainAutoencoderIsTheReconstructionErrorQuantile() {
        JavaRDD<Row> rows = oneToHundred().map(v -> RowFactory.create("r" + v, null, v, null));
        AnomalyThreshold threshold = AnomalyThreshold.fit(rows, 0.95, false);
        assertEquals(100, threshold.records());
        assertEquals(95.0, threshold.score().threshold());
        assertEquals(50.5, threshold.score().mean(), 1e-12);
        assertEquals(100.0, threshold.score().max());
        assertNull(threshold.negElbo());
        assertEquals(List.of("0.5", "0.9", "0.95", "0.99", "0.999"),
                List.copyOf(threshold.score().quantiles().keySet()));
    }

    @Test
    void thresholdOfAVaeCoversTheNegativeElboToo() {
        JavaRDD<Row> rows = oneToHundred().map(v -> RowFactory.create("r" + v, null, v, 10 * v));
        AnomalyThreshold threshold = AnomalyThreshold.fit(rows, 0.9, true);
        assertEquals(90.0, threshold.score().threshold());
        assertEquals(900.0, threshold.negElbo().threshold());
    }
}
