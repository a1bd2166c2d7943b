package io.pretext.jobs.autoencoder;

import io.pretext.zoo.runtime.Nd4jRuntime;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

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
 * A trained graph for inference in the executors: it travels as its model-zip bytes (no updater state) in a
 * broadcast and is restored once per executor JVM, keyed by the bytes' digest.
 */
final class BroadcastGraph implements Serializable {

    /** What one batch of records gives: one output per record, in order. */
    @FunctionalInterface
    interface BatchFunction<R, T> extends Serializable {
        List<T> apply(ComputationGraph graph, List<R> batch);
    }

    private static final Map<String, ComputationGraph> GRAPHS = new ConcurrentHashMap<>();

    private final Broadcast<byte[]> bytes;
    private final String key;

    BroadcastGraph(JavaSparkContext sc, ComputationGraph graph) {
        byte[] zip = toBytes(graph);
        this.bytes = sc.broadcast(zip);
        this.key = sha256(zip);
    }

    /**
     * Runs {@code function} over a partition in batches of {@code batchSize} records. The graph is shared by the
     * JVM's tasks and its forward pass is not thread-safe, so batches take turns on it.
     */
    <R, T> Iterator<T> mapInBatches(Iterator<R> records, int batchSize, BatchFunction<R, T> function) {
        Nd4jRuntime.configure();
        ComputationGraph graph = GRAPHS.computeIfAbsent(key, k -> fromBytes(bytes.value()));
        List<T> out = new ArrayList<>();
        List<R> batch = new ArrayList<>(batchSize);
        while (records.hasNext()) {
            batch.add(records.next());
            if (batch.size() == batchSize || !records.hasNext()) {
                synchronized (graph) {
                    out.addAll(function.apply(graph, batch));
                }
                batch.clear();
            }
        }
        return out.iterator();
    }

    /** Frees the broadcast and this JVM's restored copy. */
    void destroy() {
        bytes.destroy(false);
        GRAPHS.remove(key);
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

    private static ComputationGraph fromBytes(byte[] zip) {
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] zip) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
