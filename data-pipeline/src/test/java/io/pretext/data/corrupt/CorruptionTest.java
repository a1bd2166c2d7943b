package io.pretext.data.corrupt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.augment.SimClrAugmenter;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CorruptionTest {

    private static final int D = 784;

    private static Corruption of(String kind, double sigma, double fraction) {
        return new Corruption(new CorruptionConfig(kind, sigma, fraction, true, 0.0, 1.0));
    }

    /** Values strictly inside (0, 1), none equal to 0 or 1, so replaced positions are recognisable. */
    private static float[] example(long seed) {
        Random random = new Random(seed);
        float[] x = new float[D];
        for (int i = 0; i < D; i++) {
            x[i] = 0.05f + 0.9f * random.nextFloat();
        }
        return x;
    }

    private static float[] corrupted(Corruption c, float[] clean, long exampleSeed) {
        float[] x = clean.clone();
        c.apply(x, 0, x.length, exampleSeed);
        return x;
    }

    record FractionCase(String kind, double fraction) {
    }

    static Stream<FractionCase> fractions() {
        return Stream.of(new FractionCase("masking", 0.25), new FractionCase("masking", 0.5),
                new FractionCase("masking", 0.001), new FractionCase("salt-and-pepper", 0.1),
                new FractionCase("salt-and-pepper", 1.0));
    }

    @ParameterizedTest
    @MethodSource("fractions")
    void replacesExactlyTheRoundedFractionOfEachExample(FractionCase c) {
        Corruption corruption = of(c.kind(), 0.1, c.fraction());
        float[] clean = example(1);

        for (long seed = 0; seed < 20; seed++) {
            float[] x = corrupted(corruption, clean, seed);
            int changed = 0;
            for (int i = 0; i < D; i++) {
                if (x[i] != clean[i]) {
                    changed++;
                }
            }
            assertEquals(Math.round(c.fraction() * D), changed, "seed " + seed);
        }
    }

    @Test
    void maskedPositionsAreUniformOverManyDraws() {
        Corruption masking = of("masking", 0.1, 0.25);
        float[] clean = example(2);
        int draws = 4000;
        int[] hits = new int[D];

        for (int s = 0; s < draws; s++) {
            float[] x = corrupted(masking, clean, Corruption.exampleSeed(7, 0, "img" + s));
            for (int i = 0; i < D; i++) {
                if (x[i] == 0f) {
                    hits[i]++;
                }
            }
        }

        // each position is masked with probability 196/784 = 0.25: 1000 expected hits, sd 27.4
        for (int i = 0; i < D; i++) {
            assertEquals(1000, hits[i], 5 * 27.4, "position " + i);
        }
        assertEquals(196L * draws, Arrays.stream(hits).asLongStream().sum());
    }

    @Test
    void saltAndPepperSetsMinAndMaxInEqualShares() {
        Corruption sp = of("salt-and-pepper", 0.1, 0.2);
        float[] clean = example(3);
        long salt = 0;
        long pepper = 0;

        for (int s = 0; s < 2000; s++) {
            float[] x = corrupted(sp, clean, Corruption.exampleSeed(1, 2, "row" + s));
            for (int i = 0; i < D; i++) {
                if (x[i] != clean[i]) {
                    assertTrue(x[i] == 0f || x[i] == 1f, "replaced value " + x[i]);
                    if (x[i] == 1f) {
                        salt++;
                    } else {
                        pepper++;
                    }
                }
            }
        }

        // 2000 * 157 = 314,000 fair coin flips: sd of the salt share 0.0009
        assertEquals(314_000, salt + pepper);
        assertEquals(0.5, (double) salt / (salt + pepper), 0.005);
    }

    @Test
    void gaussianNoiseHasTheConfiguredMeanAndStd() {
        Corruption gaussian = of("gaussian", 0.05, 0.0);
        float[] clean = new float[D];
        Arrays.fill(clean, 0.5f);
        double sum = 0;
        double sumSquares = 0;
        int n = 0;

        for (int s = 0; s < 300; s++) {
            float[] x = corrupted(gaussian, clean, Corruption.exampleSeed(3, 0, "x" + s));
            for (float v : x) {
                double noise = v - 0.5;
                sum += noise;
                sumSquares += noise * noise;
                n++;
            }
        }

        // 235,200 draws: standard errors 1e-4 (mean) and 7e-5 (std); clipping at 10 sigma is negligible
        double mean = sum / n;
        double std = Math.sqrt(sumSquares / n - mean * mean);
        assertEquals(0.0, mean, 5e-4);
        assertEquals(0.05, std, 5e-4);
    }

    @Test
    void clippedGaussianNoiseStaysInTheValidRange() {
        Corruption gaussian = of("gaussian", 1.0, 0.0);
        float[] clean = example(4);
        int atBounds = 0;

        for (int s = 0; s < 50; s++) {
            for (float v : corrupted(gaussian, clean, s)) {
                assertTrue(v >= 0f && v <= 1f, "value " + v);
                if (v == 0f || v == 1f) {
                    atBounds++;
                }
            }
        }

        assertTrue(atBounds > 0.4 * 50 * D, "with sigma 1 most values hit a bound, got " + atBounds);
    }

    @Test
    void unclippedGaussianNoiseLeavesTheRange() {
        Corruption gaussian = new Corruption(new CorruptionConfig("gaussian", 1.0, 0.0, false, 0.0, 1.0));

        float[] x = corrupted(gaussian, example(5), 9);

        assertTrue(Arrays.stream(toDoubles(x)).anyMatch(v -> v < 0 || v > 1));
    }

    private static double[] toDoubles(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void sameSeedEpochAndIdGiveTheSameCorruption(String kind) {
        Corruption c = of(kind, 0.2, 0.3);
        float[] clean = example(6);

        float[] a = corrupted(c, clean, Corruption.exampleSeed(42, 3, "train/00017.png"));
        float[] b = corrupted(c, clean, Corruption.exampleSeed(42, 3, "train/00017.png"));

        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, corrupted(c, clean, Corruption.exampleSeed(43, 3, "train/00017.png"))));
        assertFalse(Arrays.equals(a, corrupted(c, clean, Corruption.exampleSeed(42, 4, "train/00017.png"))));
        assertFalse(Arrays.equals(a, corrupted(c, clean, Corruption.exampleSeed(42, 3, "train/00018.png"))));
    }

    static Stream<String> kinds() {
        return Stream.of("gaussian", "masking", "salt-and-pepper");
    }

    @Test
    void exampleSeedIsSeparateFromTheSimClrViewSeeds() {
        for (int epoch = 0; epoch < 3; epoch++) {
            long seed = Corruption.exampleSeed(5, epoch, "a");
            assertEquals(seed, Corruption.exampleSeed(5, epoch, "a"));
            assertNotEquals(SimClrAugmenter.viewSeed(5, epoch, "a", 0), seed);
            assertNotEquals(SimClrAugmenter.viewSeed(5, epoch, "a", 1), seed);
        }
    }

    @Test
    void noneLeavesValuesUnchanged() {
        float[] clean = example(7);

        assertArrayEquals(clean, corrupted(of("none", 0.1, 0.2), clean, 1));
    }

    @Test
    void batchRowsAreCorruptedByTheirOwnIdsAndTheCleanBatchIsKept() {
        Corruption masking = of("masking", 0.1, 0.25);
        float[][] rows = {example(10), example(11), example(12)};
        INDArray clean = Nd4j.create(rows).reshape(3, 1, 28, 28);
        INDArray before = clean.dup();
        List<String> ids = List.of("a", "b", "c");

        INDArray batch = masking.corrupt(clean, ids, 9, 2);

        assertEquals(before, clean);
        assertArrayEquals(new long[] {3, 1, 28, 28}, batch.shape());
        assertEquals(DataType.FLOAT, batch.dataType());
        for (int i = 0; i < 3; i++) {
            float[] expected = corrupted(masking, rows[i], Corruption.exampleSeed(9, 2, ids.get(i)));
            assertArrayEquals(expected, batch.slice(i).reshape(D).toFloatVector(), "row " + i);
        }
    }

    @Test
    void rowCorruptionDoesNotDependOnTheOtherRowsOfTheBatch() {
        Corruption gaussian = of("gaussian", 0.1, 0.0);
        INDArray pair = Nd4j.create(new float[][] {example(20), example(21)});
        INDArray single = Nd4j.create(new float[][] {example(21)});

        INDArray inPair = gaussian.corrupt(pair, List.of("p", "q"), 1, 0);
        INDArray alone = gaussian.corrupt(single, List.of("q"), 1, 0);

        assertEquals(alone.getRow(0), inPair.getRow(1));
    }

    @Test
    void batchNeedsOneIdPerRow() {
        INDArray clean = Nd4j.zeros(DataType.FLOAT, 3, 4);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> of("masking", 0.1, 0.5).corrupt(clean, List.of("a", "b"), 1, 0));

        assertEquals("a batch [N, ...] needs one id per row: got shape [3, 4] and 2 ids", e.getMessage());
    }

    @Test
    void exampleMustFitTheArray() {
        assertThrows(IllegalArgumentException.class, () -> of("masking", 0.1, 0.5).apply(new float[10], 5, 6, 1));
    }
}
