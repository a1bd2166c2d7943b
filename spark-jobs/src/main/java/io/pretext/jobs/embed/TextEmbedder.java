package io.pretext.jobs.embed;

import io.pretext.jobs.bert.BertRun;
import io.pretext.jobs.bert.TextEmbeddings;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Document embeddings from a BERT run's encoder: each document's first {@code eval.maxSeqLength} tokens, as the
 * last layer's {@code [CLS]} state or the mean of its token states ({@code eval.pooling}).
 */
public final class TextEmbedder implements Embedder {

    private final BertRun bert;

    public TextEmbedder(BertRun bert) {
        this.bert = bert;
    }

    @Override
    public Dataset<Row> embed(SparkSession spark, RunDirectory run, String input) {
        JavaRDD<Row> rows = TextEmbeddings.of(spark, bert, input).map(v -> Embeddings.row(v.id(), v.label(),
                v.vector()));
        return spark.createDataFrame(rows, Embeddings.SCHEMA);
    }
}
