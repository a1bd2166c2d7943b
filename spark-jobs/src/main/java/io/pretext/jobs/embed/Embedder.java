package io.pretext.jobs.embed;

import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Turns the records under an input path into embeddings with a finished run's encoder, in the executors. */
public interface Embedder {

    /**
     * @return rows of {@link Embeddings#SCHEMA}: id, label (null when the input is unlabelled), vector
     */
    Dataset<Row> embed(SparkSession spark, RunDirectory run, String input);
}
