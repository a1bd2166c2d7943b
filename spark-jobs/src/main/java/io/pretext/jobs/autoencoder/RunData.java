package io.pretext.jobs.autoencoder;

import org.apache.spark.api.java.JavaRDD;

import java.util.Map;

/**
 * A corpus read the way an autoencoder run reads its training data, for scoring, embedding and evaluation.
 *
 * @param path     where it was read from
 * @param records  the usable records, persisted
 * @param input    how they become the model's input
 * @param read     records read (usable + rejected)
 * @param usable   usable records
 * @param rejected rejected records by reason
 * @param release  drops the persisted records
 * @param <R>      the record type
 */
public record RunData<R>(String path, JavaRDD<R> records, AutoencoderInput<R> input, long read, long usable,
                         Map<String, Long> rejected, Runnable release) {
}
