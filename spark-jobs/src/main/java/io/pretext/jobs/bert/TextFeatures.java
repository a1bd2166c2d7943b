package io.pretext.jobs.bert;

import io.pretext.jobs.spark.BroadcastGraph;
import io.pretext.data.text.DocumentBatch;
import io.pretext.data.text.EncodedDocument;
import io.pretext.zoo.bert.Bert;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Frozen BERT features of documents, computed in the executors: the last layer's {@code [CLS]} state and the mean
 * of its token states over the real tokens (padding left out), from an {@link Bert#encoderOnly} graph.
 */
final class TextFeatures implements Serializable {

    /** One document's vectors. */
    record Vectors(String id, String label, float[] cls, float[] mean) implements Serializable {

        float[] pooled(String pooling) {
            return pooling.equals("mean") ? mean : cls;
        }
    }

    private final BroadcastGraph encoder;
    private final int padId;
    private final int batchSize;

    TextFeatures(JavaSparkContext sc, ComputationGraph encoder, int padId, int batchSize) {
        this.encoder = new BroadcastGraph(sc, encoder);
        this.padId = padId;
        this.batchSize = batchSize;
    }

    JavaRDD<Vectors> extract(JavaRDD<EncodedDocument> documents) {
        return documents.mapPartitions(this::extractPartition).setName("BERT document features");
    }

    void destroy() {
        encoder.destroy();
    }

    private Iterator<Vectors> extractPartition(Iterator<EncodedDocument> documents) {
        List<Vectors> out = new ArrayList<>();
        List<EncodedDocument> batch = new ArrayList<>(batchSize);
        while (documents.hasNext()) {
            batch.add(documents.next());
            if (batch.size() == batchSize || !documents.hasNext()) {
                List<EncodedDocument> docs = List.copyOf(batch);
                out.addAll(encoder.with(graph -> vectors(graph, docs, padId)));
                batch.clear();
            }
        }
        return out.iterator();
    }

    static List<Vectors> vectors(ComputationGraph encoder, List<EncodedDocument> docs, int padId) {
        DocumentBatch batch = DocumentBatch.of(docs, padId);
        Bert.Features f = Bert.encode(encoder, batch.tokenIds(), batch.segmentIds(), batch.attentionMask());
        float[][] cls = f.cls().toFloatMatrix(); // [B, H]
        float[][] mean = meanOverTokens(f.sequence(), batch.attentionMask()).toFloatMatrix(); // [B, H]
        List<Vectors> out = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            out.add(new Vectors(docs.get(i).id(), docs.get(i).label(), cls[i], mean[i]));
        }
        return out;
    }

    /** The mean of {@code sequence [B, T, H]} over the positions where {@code mask [B, T]} is 1: [B, H]. */
    static INDArray meanOverTokens(INDArray sequence, INDArray mask) {
        INDArray m = mask.castTo(sequence.dataType());
        INDArray masked = Nd4j.createUninitialized(sequence.dataType(), sequence.shape());
        Nd4j.getExecutioner().exec(new BroadcastMulOp(sequence, m, masked, 0, 1)); // [B, T, H], padding zeroed
        INDArray sums = masked.sum(1); // [B, H]
        INDArray counts = m.sum(true, 1); // [B, 1]
        return sums.diviColumnVector(counts);
    }
}
