package io.pretext.jobs.eval;

import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.ImageTensors;
import io.pretext.zoo.runtime.Nd4jRuntime;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a frozen encoder (a graph whose single output is the feature vector) over images in the executors.
 * The encoder travels as its model-zip bytes in a broadcast and is restored once per executor JVM.
 */
public final class FeatureExtractor implements Serializable {

    /** A record's label and its encoder features. */
    public record Features(String id, String label, float[] vector) implements Serializable {
    }

    private static final Map<String, ComputationGraph> ENCODERS = new ConcurrentHashMap<>();

    private final Broadcast<byte[]> encoder;
    private final String key;
    private final int batchSize;

    public FeatureExtractor(JavaSparkContext sc, ComputationGraph encoder, int batchSize) {
        byte[] bytes = toBytes(encoder);
        this.encoder = sc.broadcast(bytes);
        this.key = sha256(bytes);
        this.batchSize = batchSize;
    }

    public JavaRDD<Features> extract(JavaRDD<ImageRecord> images) {
        return images.mapPartitions(this::extractPartition);
    }

    private Iterator<Features> extractPartition(Iterator<ImageRecord> images) {
        Nd4jRuntime.configure();
        ComputationGraph graph = ENCODERS.computeIfAbsent(key, k -> fromBytes(encoder.value()));
        List<Features> out = new ArrayList<>();
        List<ImageRecord> batch = new ArrayList<>(batchSize);
        while (images.hasNext()) {
            batch.add(images.next());
            if (batch.size() == batchSize || !images.hasNext()) {
                INDArray features;
                synchronized (graph) { // one graph per JVM; its forward pass is not thread-safe
                    features = graph.outputSingle(false, ImageTensors.features(batch)); // [N, featureSize]
                }
                float[][] rows = features.toFloatMatrix();
                for (int i = 0; i < batch.size(); i++) {
                    out.add(new Features(batch.get(i).id(), batch.get(i).label(), rows[i]));
                }
                batch.clear();
            }
        }
        return out.iterator();
    }

    public void destroy() {
        encoder.destroy(false);
        ENCODERS.remove(key);
    }

    static byte[] toBytes(ComputationGraph graph) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelSerializer.writeModel(graph, out, false);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ComputationGraph fromBytes(byte[] bytes) {
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
