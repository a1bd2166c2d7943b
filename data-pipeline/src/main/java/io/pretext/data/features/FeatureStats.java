package io.pretext.data.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-column standardisation of feature vectors, fitted on the training data and saved with the model
 * ({@link #toJson}) so that scoring applies exactly the same transform.
 *
 * <pre>
 *   z_c = (x_c - mean_c) / max(std_c, stdFloor)        NaN (an imputed missing value) -> 0, the mean
 * </pre>
 *
 * {@code mean} and {@code std} are the population statistics (divisor {@code count_c}) over the finite
 * values of each column; {@code count_c} is how many there were. A constant column has {@code std = 0}
 * and is divided by {@code stdFloor}.
 *
 * @param columns  the feature columns, in value order
 * @param mean     per-column mean
 * @param std      per-column population standard deviation (before the floor)
 * @param count    per-column number of finite training values
 * @param stdFloor the smallest divisor, {@code > 0}
 */
public record FeatureStats(List<String> columns, double[] mean, double[] std, long[] count, double stdFloor)
        implements Serializable {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureStats.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public FeatureStats {
        Objects.requireNonNull(columns, "columns");
        columns = List.copyOf(columns);
        int n = columns.size();
        if (mean == null || std == null || count == null || mean.length != n || std.length != n || count.length != n) {
            throw new IllegalArgumentException("feature statistics need one mean, std and count per column (" + n
                    + " columns)");
        }
        for (int c = 0; c < n; c++) {
            if (!Double.isFinite(mean[c]) || !(std[c] >= 0) || Double.isInfinite(std[c]) || count[c] < 1) {
                throw new IllegalArgumentException("feature statistics of column " + columns.get(c) + " are invalid: "
                        + "mean " + mean[c] + ", std " + std[c] + ", count " + count[c]);
            }
        }
        if (!(stdFloor > 0) || Double.isInfinite(stdFloor)) {
            throw new IllegalArgumentException("data.stdFloor must be a finite number > 0, got " + stdFloor
                    + " (set it in the data: section)");
        }
        mean = mean.clone();
        std = std.clone();
        count = count.clone();
    }

    /**
     * Fits the statistics on a corpus's usable rows with one Spark action (named in the Spark UI).
     *
     * @throws IllegalArgumentException when the corpus has no usable row, or a column has no finite value
     */
    public static FeatureStats compute(FeatureCorpus corpus) {
        return compute(corpus.records(), corpus.columns(), corpus.config().stdFloor());
    }

    /** Fits the statistics on {@code records} whose values follow {@code columns}, with one Spark action. */
    public static FeatureStats compute(JavaRDD<FeatureRecord> records, List<String> columns, double stdFloor) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(records.context());
        String previous = sc.getLocalProperty("spark.job.description");
        sc.setJobDescription("feature statistics (mean, std of " + columns.size() + " columns)");
        Moments moments;
        try {
            moments = records.aggregate(new Moments(columns.size()), Moments::add, Moments::merge);
        } finally {
            sc.setLocalProperty("spark.job.description", previous);
        }
        for (int c = 0; c < columns.size(); c++) {
            if (moments.n[c] == 0) {
                throw new IllegalArgumentException("feature column " + columns.get(c) + " has no finite value in the "
                        + moments.rows + " usable rows: its mean and std are undefined (drop it from data.columns)");
            }
        }
        double[] std = new double[columns.size()];
        for (int c = 0; c < std.length; c++) {
            std[c] = Math.sqrt(moments.m2[c] / moments.n[c]);
        }
        FeatureStats stats = new FeatureStats(columns, moments.mean, std, moments.n, stdFloor);
        List<String> constant = stats.floored();
        LOG.info("feature statistics over {} rows, {} columns{}", moments.rows, columns.size(),
                constant.isEmpty() ? "" : "; std below " + stdFloor + " (divided by the floor): " + constant);
        return stats;
    }

    /** Columns whose std is below the floor. */
    public List<String> floored() {
        return IntStream.range(0, columns.size()).filter(c -> std[c] < stdFloor)
                .mapToObj(columns::get).toList();
    }

    /** The divisor of column {@code c}: {@code max(std_c, stdFloor)}. */
    public double scale(int c) {
        return Math.max(std[c], stdFloor);
    }

    /** One row standardised; {@code NaN} values become 0. */
    public float[] standardize(float[] values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("a row has " + values.length + " values, the statistics have "
                    + columns.size() + " columns " + columns);
        }
        float[] out = new float[values.length];
        for (int c = 0; c < values.length; c++) {
            out[c] = Float.isNaN(values[c]) ? 0f : (float) ((values[c] - mean[c]) / scale(c));
        }
        return out;
    }

    /** Rows standardised into a float batch {@code [N, F]}, row {@code i} from {@code rows.get(i)}. */
    public INDArray standardize(List<FeatureRecord> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a feature batch needs at least one row");
        }
        int f = columns.size();
        float[] data = new float[Math.multiplyExact(rows.size(), f)];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(standardize(rows.get(i).values()), 0, data, i * f, f);
        }
        return Nd4j.create(data, new long[] {rows.size(), f}, DataType.FLOAT);
    }

    /**
     * Checks that data to be scored has the training columns in the training order.
     *
     * @throws IllegalArgumentException naming both column lists otherwise
     */
    public void requireColumns(List<String> dataColumns) {
        if (!columns.equals(dataColumns)) {
            throw new IllegalArgumentException("the data's feature columns " + dataColumns + " differ from the "
                    + "model's " + columns + " (set data.columns to the training columns, in the same order)");
        }
    }

    /** The statistics as a JSON object {@code {columns, mean, std, count, stdFloor}}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write feature statistics as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Statistics written by {@link #toJson}.
     *
     * @throws IllegalArgumentException when the text is not such an object
     */
    public static FeatureStats fromJson(String json) {
        try {
            return JSON.readValue(json, FeatureStats.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not feature statistics JSON ({columns, mean, std, count, stdFloor}): "
                    + e.getOriginalMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureStats s && columns.equals(s.columns) && Arrays.equals(mean, s.mean)
                && Arrays.equals(std, s.std) && Arrays.equals(count, s.count)
                && Double.compare(stdFloor, s.stdFloor) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns, Arrays.hashCode(mean), Arrays.hashCode(std), Arrays.hashCode(count), stdFloor);
    }

    @Override
    public String toString() {
        return "FeatureStats[columns=" + columns + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
                + ", count=" + Arrays.toString(count) + ", stdFloor=" + stdFloor + "]";
    }

    /**
     * Count, mean and sum of squared deviations per column, over the finite values (Welford's update, merged
     * with Chan et al.'s pairwise formula), plus the number of rows seen.
     */
    static final class Moments implements Serializable {
        long rows;
        final long[] n;
        final double[] mean;
        final double[] m2;

        Moments(int columns) {
            n = new long[columns];
            mean = new double[columns];
            m2 = new double[columns];
        }

        Moments add(FeatureRecord record) {
            float[] values = record.values();
            if (values.length != n.length) {
                throw new IllegalStateException("row " + record.id() + " has " + values.length + " values, expected "
                        + n.length);
            }
            rows++;
            for (int c = 0; c < values.length; c++) {
                if (Float.isNaN(values[c])) {
                    continue;
                }
                double x = values[c];
                n[c]++;
                double delta = x - mean[c];
                mean[c] += delta / n[c];
                m2[c] += delta * (x - mean[c]);
            }
            return this;
        }

        Moments merge(Moments other) {
            rows += other.rows;
            for (int c = 0; c < n.length; c++) {
                long total = n[c] + other.n[c];
                if (other.n[c] == 0) {
                    continue;
                }
                double delta = other.mean[c] - mean[c];
                mean[c] += delta * other.n[c] / total;
                m2[c] += other.m2[c] + delta * delta * ((double) n[c] * other.n[c] / total);
                n[c] = total;
            }
            return this;
        }
    }
}
