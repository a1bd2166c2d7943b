package io.pretext.jobs.embed;

import io.pretext.data.image.ImageCorpus;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.jobs.eval.FeatureExtractor;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Image embeddings from any encoder graph whose single output is the feature vector (SimCLR, autoencoders). */
public final class ImageEmbedder implements Embedder {

    private final ComputationGraph encoder;
    private final ImageDataConfig data;
    private final int batchSize;

    public ImageEmbedder(ComputationGraph encoder, ImageDataConfig data, int batchSize) {
        this.encoder = encoder;
        this.data = data;
        this.batchSize = batchSize;
    }

    @Override
    public Dataset<Row> embed(SparkSession spark, RunDirectory run, String input) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ImageCorpus corpus = ImageCorpus.open(spark, input, data.withFormat("auto")).requireUsable();
        FeatureExtractor extractor = new FeatureExtractor(sc, encoder, batchSize);
        sc.setJobDescription("embed images under " + input);
        JavaRDD<Row> rows = extractor.extract(corpus.records())
                .map(f -> Embeddings.row(f.id(), f.label(), f.vector()));
        return spark.createDataFrame(rows, Embeddings.SCHEMA);
    }
}
