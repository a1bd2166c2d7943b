package io.pretext.jobs.autoencoder;

import io.pretext.jobs.spark.BroadcastGraph;
import io.pretext.jobs.embed.Embedder;
import io.pretext.jobs.embed.Embeddings;
import io.pretext.jobs.embed.ImageEmbedder;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.zoo.autoencoder.Autoencoder;
import io.pretext.zoo.autoencoder.AutoencoderConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings of an autoencoder run: the bottleneck code (ae, dae) or the posterior mean (vae) of every record, from
 * the exported encoder. Images go through {@link ImageEmbedder}; feature rows are standardised by the run's training
 * statistics first.
 */
public final class AutoencoderEmbedder implements Embedder {

    private final TrainedAutoencoder model;

    private AutoencoderEmbedder(TrainedAutoencoder model) {
        this.model = model;
    }

    /** The embedder of a finished autoencoder run. */
    public static Embedder of(TrainedAutoencoder model) {
        if (model.isImage()) {
            return new ImageEmbedder(model.encoder(), model.config().imageData(), model.config().eval().batchSize());
        }
        return new AutoencoderEmbedder(model);
    }

    @Override
    public Dataset<Row> embed(SparkSession spark, RunDirectory run, String input) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        RunData<?> data = model.read(spark, input);
        sc.setJobDescription("embed feature rows under " + input);
        return spark.createDataFrame(codes(sc, data), Embeddings.SCHEMA);
    }

    private <R> JavaRDD<Row> codes(JavaSparkContext sc, RunData<R> data) {
        BroadcastGraph encoder = new BroadcastGraph(sc, model.encoder());
        AutoencoderConfig config = model.model();
        AutoencoderInput<R> input = data.input();
        int batchSize = model.config().eval().batchSize();
        return data.records().mapPartitions(it -> encoder.mapInBatches(it, batchSize, (graph, batch) ->
                rows(graph, config, input, batch)));
    }

    private static <R> List<Row> rows(ComputationGraph encoder, AutoencoderConfig config, AutoencoderInput<R> input,
                                      List<R> batch) {
        float[][] codes = Autoencoder.encode(encoder, config, input.batch(batch)).toFloatMatrix(); // [N, latentSize]
        List<Row> rows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            rows.add(Embeddings.row(input.id(batch.get(i)), input.label(batch.get(i)), codes[i]));
        }
        return rows;
    }
}
