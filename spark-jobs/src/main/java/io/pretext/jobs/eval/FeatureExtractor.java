package io.pretext.jobs.eval;

import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.ImageTensors;
import io.pretext.jobs.spark.BroadcastGraph;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a frozen encoder (a graph whose single output is the feature vector) over images in the executors.
 * The encoder travels as its model-zip bytes in a broadcast ({@link BroadcastGraph}).
 */
public final class FeatureExtractor implements Serializable {

    /** A record's label and its encoder features. */
    public record Features(String id, String label, float[] vector) implements Serializable {
    }

    private final BroadcastGraph encoder;
    private final int batchSize;

    public FeatureExtractor(JavaSparkContext sc, ComputationGraph encoder, int batchSize) {
        this.encoder = new BroadcastGraph(sc, encoder);
        this.batchSize = batchSize;
    }

    public JavaRDD<Features> extract(JavaRDD<ImageRecord> images) {
        return images.mapPartitions(it -> encoder.mapInBatches(it, batchSize, FeatureExtractor::features));
    }

    private static List<Features> features(ComputationGraph graph, List<ImageRecord> batch) {
        float[][] rows = graph.outputSingle(false, ImageTensors.features(batch)).toFloatMatrix(); // [N, featureSize]
        List<Features> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(new Features(batch.get(i).id(), batch.get(i).label(), rows[i]));
        }
        return out;
    }

    public void destroy() {
        encoder.destroy();
    }
}
