package io.pretext.jobs.autoencoder;

import io.pretext.data.shard.Sharding;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.Matrix;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.linalg.distributed.RowMatrix;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The anomaly baseline of {@code pretext evaluate anomaly}: principal component analysis with as many components as
 * the autoencoder's code (Spark MLlib's {@link RowMatrix#computePrincipalComponents}), fitted on the same input
 * representation the autoencoder sees (images in [0, 1] flattened, feature rows standardised). A record's score is
 * its PCA reconstruction error, the mean squared error over its D values:
 *
 * <pre>
 *   c = x - mean,   score = |c - P P^T c|^2 / D        P: [D, k] orthonormal principal directions
 * </pre>
 */
final class PcaBaseline implements Serializable {

    /** Largest input size fitted: the D x D covariance and its eigendecomposition run on the driver. */
    static final int MAX_INPUT_SIZE = 4096;

    private final int size;
    private final int components;
    private final double[] mean;
    private final double[] directions; // [D, k] column-major, as MLlib returns it
    private final long fitRecords;

    private PcaBaseline(int size, int components, double[] mean, double[] directions, long fitRecords) {
        this.size = size;
        this.components = components;
        this.mean = mean;
        this.directions = directions;
        this.fitRecords = fitRecords;
    }

    /**
     * Fits {@code components} principal directions on at most {@code maxRecords} of {@code data}'s records (0 = all;
     * a subset is chosen by a stable hash of the record ids).
     *
     * @throws IllegalArgumentException when an input has more than {@link #MAX_INPUT_SIZE} values
     */
    static <R> PcaBaseline fit(RunData<R> data, int components, long maxRecords, int batchSize) {
        JavaRDD<R> records = limit(data, maxRecords);
        JavaRDD<Vector> vectors = vectors(records, data.input(), batchSize).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            RowMatrix matrix = new RowMatrix(vectors.rdd());
            int size = (int) matrix.numCols();
            if (size > MAX_INPUT_SIZE) {
                throw new IllegalArgumentException("the PCA baseline takes inputs of at most " + MAX_INPUT_SIZE
                        + " values, these have " + size);
            }
            int k = Math.min(components, size);
            Matrix directions = matrix.computePrincipalComponents(k); // [D, k]
            double[] mean = matrix.computeColumnSummaryStatistics().mean().toArray();
            return new PcaBaseline(size, k, mean, directions.toArray(), vectors.count());
        } finally {
            vectors.unpersist(false);
        }
    }

    /** The PCA reconstruction error of every record, in order. */
    <R> JavaRDD<Double> errors(JavaRDD<R> records, AutoencoderInput<R> input, int batchSize) {
        return vectors(records, input, batchSize).map(v -> error(v.toArray()));
    }

    /** {@code |c - P P^T c|^2 / D} for {@code c = x - mean}. */
    double error(double[] x) {
        double[] c = new double[size];
        for (int i = 0; i < size; i++) {
            c[i] = x[i] - mean[i];
        }
        double[] residual = c.clone();
        for (int j = 0; j < components; j++) {
            int column = j * size;
            double z = 0; // coordinate along direction j
            for (int i = 0; i < size; i++) {
                z += directions[column + i] * c[i];
            }
            for (int i = 0; i < size; i++) {
                residual[i] -= z * directions[column + i];
            }
        }
        double sum = 0;
        for (double r : residual) {
            sum += r * r;
        }
        return sum / size;
    }

    int components() {
        return components;
    }

    long fitRecords() {
        return fitRecords;
    }

    private static <R> JavaRDD<R> limit(RunData<R> data, long max) {
        if (max <= 0 || max >= data.usable()) {
            return data.records();
        }
        double fraction = (double) max / data.usable();
        AutoencoderInput<R> input = data.input();
        return data.records().filter(r ->
                Math.floorMod(Sharding.orderKey(input.id(r), 7L, 0), 1_000_000L) < fraction * 1e6);
    }

    /** Records as flat inputs {@code [D]}, in order. */
    private static <R> JavaRDD<Vector> vectors(JavaRDD<R> records, AutoencoderInput<R> input, int batchSize) {
        return records.mapPartitions((Iterator<R> it) -> {
            List<Vector> out = new ArrayList<>();
            List<R> batch = new ArrayList<>(batchSize);
            while (it.hasNext()) {
                batch.add(it.next());
                if (batch.size() == batchSize || !it.hasNext()) {
                    INDArray x = input.batch(batch);
                    double[][] rows = x.reshape('c', x.size(0), x.length() / x.size(0))
                            .castTo(DataType.DOUBLE).toDoubleMatrix(); // [N, D]
                    for (double[] row : rows) {
                        out.add(Vectors.dense(row));
                    }
                    batch.clear();
                }
            }
            return out.iterator();
        });
    }
}
