package io.pretext.jobs.autoencoder;

import io.pretext.jobs.spark.BroadcastGraph;
import io.pretext.zoo.autoencoder.Autoencoder;
import io.pretext.zoo.autoencoder.AutoencoderConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Anomaly scores of records under a trained autoencoder, computed in the executors: the reconstruction error (the
 * mean element loss, {@link Autoencoder#reconstructionError}) and, for vae, the negative ELBO
 * ({@link Autoencoder#negativeElbo}). Rows of {@link #SCHEMA}.
 */
final class AnomalyScorer implements Serializable {

    /** Column of the reconstruction error: the anomaly score of every kind. */
    static final String SCORE = "score";
    /** Column of the vae's negative ELBO; null for ae and dae. */
    static final String NEG_ELBO = "neg_elbo";

    /** id, label (nullable), score, neg_elbo (nullable). */
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, true)
            .add(SCORE, DataTypes.DoubleType, false)
            .add(NEG_ELBO, DataTypes.DoubleType, true);

    private final BroadcastGraph graph;
    private final AutoencoderConfig model;
    private final int batchSize;

    /** @param trained the training graph of {@code model} (its decoder is needed) */
    AnomalyScorer(JavaSparkContext sc, ComputationGraph trained, AutoencoderConfig model, int batchSize) {
        this.graph = new BroadcastGraph(sc, trained);
        this.model = model;
        this.batchSize = batchSize;
    }

    /** One row per record, in the records' order and partitioning. */
    <R> JavaRDD<Row> score(JavaRDD<R> records, AutoencoderInput<R> input) {
        AutoencoderConfig m = model;
        return records.mapPartitions(it -> graph.mapInBatches(it, batchSize, (g, batch) -> rows(g, m, input, batch)));
    }

    /** The scores of one batch, on the driver or in an executor. */
    static <R> List<Row> rows(ComputationGraph graph, AutoencoderConfig model, AutoencoderInput<R> input,
                              List<R> batch) {
        INDArray x = input.batch(batch);
        double[] errors = Autoencoder.reconstructionError(graph, model, x).toDoubleVector(); // [N]
        double[] elbo = model.isVariational() ? Autoencoder.negativeElbo(graph, model, x).toDoubleVector() : null;
        List<Row> rows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            R r = batch.get(i);
            rows.add(RowFactory.create(input.id(r), input.label(r), errors[i], elbo == null ? null : elbo[i]));
        }
        return rows;
    }

    void destroy() {
        graph.destroy();
    }
}
