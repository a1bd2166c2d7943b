package io.pretext.jobs.autoencoder;

import io.pretext.data.features.FeatureRecord;
import io.pretext.data.features.FeatureStats;
import io.pretext.jobs.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PCA reconstruction errors of points on and off a plane in six dimensions. */
class PcaBaselineTest {

    private static final List<String> COLUMNS = List.of("a", "b", "c", "d", "e", "f");
    /** A point of the plane, two orthonormal directions spanning it, and a unit normal to it. */
    private static final double[] ORIGIN = {3, -1, 2, 0, 5, 1};
    private static final double[] U = {0.5, 0.5, 0.5, 0.5, 0, 0};
    private static final double[] V = {0.5, -0.5, 0.5, -0.5, 0, 0};
    private static final double[] NORMAL = {0, 0, 0, 0, 0.6, 0.8};

    private static double[] point(double u, double v, double n) {
        double[] x = new double[6];
        for (int i = 0; i < 6; i++) {
            x[i] = ORIGIN[i] + u * U[i] + v * V[i] + n * NORMAL[i];
        }
        return x;
    }

    private static FeatureRecord record(int i, double[] x) {
        float[] values = new float[x.length];
        for (int c = 0; c < x.length; c++) {
            values[c] = (float) x[c];
        }
        return new FeatureRecord("p" + i, null, values);
    }

    /** 200 points of the plane, as feature rows the identity standardisation leaves as they are. */
    private static RunData<FeatureRecord> plane() {
        Random random = new Random(5);
        List<FeatureRecord> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            records.add(record(i, point(random.nextGaussian() * 2, random.nextGaussian(), 0)));
        }
        JavaRDD<FeatureRecord> rdd = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext())
                .parallelize(records, 3);
        FeatureStats identity = new FeatureStats(COLUMNS, new double[6], new double[]{1, 1, 1, 1, 1, 1},
                new long[]{1, 1, 1, 1, 1, 1}, 1e-6);
        return new RunData<>("plane", rdd, AutoencoderInput.features(identity), 200, 200, Map.of(), () -> { });
    }

    @Test
    void twoComponentsReconstructThePlaneAndMissItsNormal() {
        PcaBaseline pca = PcaBaseline.fit(plane(), 2, 0, 64);
        assertEquals(2, pca.components());
        assertEquals(200, pca.fitRecords());
        assertEquals(0, pca.error(point(1.5, -0.7, 0)), 1e-9);
        // the residual is the offset along the normal: 3^2 spread over 6 values
        assertEquals(9.0 / 6, pca.error(point(1.5, -0.7, 3)), 1e-6);
    }

    @Test
    void oneComponentLeavesTheSecondDirectionAsError() {
        PcaBaseline pca = PcaBaseline.fit(plane(), 1, 0, 64);
        assertEquals(0, pca.error(point(2, 0, 0)), 1e-2); // the wider direction u is the first component
        assertEquals(4.0 / 6, pca.error(point(0, 2, 0)), 1e-2);
    }

    @Test
    void fitsOnAStableSubsetWhenCapped() {
        PcaBaseline pca = PcaBaseline.fit(plane(), 2, 50, 64);
        assertTrue(pca.fitRecords() >= 20 && pca.fitRecords() <= 80, "fitted on " + pca.fitRecords());
        assertEquals(pca.fitRecords(), PcaBaseline.fit(plane(), 2, 50, 64).fitRecords());
    }
}
