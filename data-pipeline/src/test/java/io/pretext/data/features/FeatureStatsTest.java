package io.pretext.data.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.image.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class FeatureStatsTest {

    private static SparkTestSession session;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        session = new SparkTestSession();
    }

    @AfterAll
    static void stopSpark() {
        session.close();
    }

    private FeatureCorpus corpus(String missing, String... lines) throws IOException {
        Path file = tmp.resolve("t/x.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
        return FeatureCorpus.open(session.spark(), file.getParent().toString(),
                FeatureDataConfig.defaults().withMissing(missing));
    }

    @Test
    void meanAndPopulationStdOfASmallTable() throws IOException {
        // a: 1, 2, 3, 6 -> mean 3, var (4 + 1 + 0 + 9) / 4 = 3.5; b: -1, 1, -1, 1 -> mean 0, std 1; k: constant 7
        FeatureCorpus corpus = corpus("skip", "a,b,k", "1,-1,7", "2,1,7", "3,-1,7", "6,1,7", "x,1,7");

        FeatureStats stats = FeatureStats.compute(corpus);

        assertEquals(List.of("a", "b", "k"), stats.columns());
        assertArrayEquals(new double[] {3.0, 0.0, 7.0}, stats.mean(), 1e-15);
        assertArrayEquals(new double[] {Math.sqrt(3.5), 1.0, 0.0}, stats.std(), 1e-15);
        assertArrayEquals(new long[] {4, 4, 4}, stats.count());
        assertEquals(List.of("k"), stats.floored());
        assertEquals(1e-6, stats.scale(2));
    }

    @Test
    void statisticsOverManyPartitionsMatchATwoPassComputation() throws IOException {
        Random random = new Random(4);
        StringBuilder csv = new StringBuilder("u,v\n");
        double[][] values = new double[5000][2];
        for (double[] row : values) {
            row[0] = (float) (1000 + random.nextGaussian() * 0.01);   // large mean, tiny spread
            row[1] = (float) (random.nextDouble() * 10);
            csv.append((float) row[0]).append(',').append((float) row[1]).append('\n');
        }
        Path file = tmp.resolve("many/x.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
        session.spark().sparkContext().hadoopConfiguration().set("mapreduce.input.fileinputformat.split.maxsize",
                "8192");
        FeatureStats stats;
        try {
            stats = FeatureStats.compute(FeatureCorpus.open(session.spark(), file.getParent().toString(),
                    FeatureDataConfig.defaults()));
        } finally {
            session.spark().sparkContext().hadoopConfiguration().unset("mapreduce.input.fileinputformat.split.maxsize");
        }

        for (int c = 0; c < 2; c++) {
            double mean = 0;
            for (double[] row : values) {
                mean += row[c] / values.length;
            }
            double squares = 0;
            for (double[] row : values) {
                squares += (row[c] - mean) * (row[c] - mean);
            }
            assertEquals(mean, stats.mean()[c], Math.abs(mean) * 1e-12, "mean of column " + c);
            assertEquals(Math.sqrt(squares / values.length), stats.std()[c], 1e-9, "std of column " + c);
        }
    }

    @Test
    void imputedValuesAreLeftOutOfTheStatisticsAndBecomeTheMean() throws IOException {
        FeatureCorpus corpus = corpus("mean", "a,b", "1,10", ",20", "3,NaN", "5,30");

        FeatureStats stats = FeatureStats.compute(corpus);

        assertArrayEquals(new double[] {3.0, 20.0}, stats.mean(), 1e-15);
        assertArrayEquals(new long[] {3, 3}, stats.count());
        assertArrayEquals(new float[] {0f, (float) (10 / Math.sqrt(200.0 / 3))},
                stats.standardize(new float[] {Float.NaN, 30f}), 1e-6f);
    }

    @Test
    void standardisedBatchHasOneRowPerRecord() {
        FeatureStats stats = new FeatureStats(List.of("a", "b"), new double[] {1, 2}, new double[] {2, 0.5},
                new long[] {9, 9}, 1e-6);
        List<FeatureRecord> rows = List.of(new FeatureRecord("r", null, new float[] {3, 2}),
                new FeatureRecord("s", null, new float[] {-1, Float.NaN}));

        INDArray batch = stats.standardize(rows);

        assertEquals(DataType.FLOAT, batch.dataType());
        assertArrayEquals(new long[] {2, 2}, batch.shape());
        assertArrayEquals(new float[] {1f, 0f, -1f, 0f}, batch.reshape(4).toFloatVector());
    }

    @Test
    void jsonRoundTripGivesTheSameStatistics() {
        FeatureStats stats = new FeatureStats(List.of("a", "b c"), new double[] {0.1, -3e-7}, new double[] {2.5, 0},
                new long[] {1000, 998}, 1e-4);

        String json = stats.toJson();

        assertEquals(stats, FeatureStats.fromJson(json));
        assertTrue(json.contains("\"columns\":[\"a\",\"b c\"]"), json);
    }

    @Test
    void malformedJsonIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureStats.fromJson("{\"columns\": [\"a\"]}"));

        assertTrue(e.getMessage().contains("feature statistics need one mean, std and count per column")
                || e.getMessage().startsWith("not feature statistics JSON"), e.getMessage());
    }

    @Test
    void scoringDataMustHaveTheTrainingColumnsInOrder() {
        FeatureStats stats = new FeatureStats(List.of("a", "b"), new double[] {0, 0}, new double[] {1, 1},
                new long[] {1, 1}, 1e-6);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stats.requireColumns(List.of("b", "a")));

        assertEquals("the data's feature columns [b, a] differ from the model's [a, b] (set data.columns to the "
                + "training columns, in the same order)", e.getMessage());
    }

    @Test
    void columnWithoutAnyFiniteValueIsRefused() throws IOException {
        FeatureCorpus corpus = corpus("mean", "a,b", "1,", "2,NaN");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureStats.compute(corpus));

        assertTrue(e.getMessage().startsWith("feature column b has no finite value in the 2 usable rows"),
                e.getMessage());
    }
}
