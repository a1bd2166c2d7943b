package io.pretext.jobs.spark;

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
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * A trained graph shipped to the executors for inference: its model-zip bytes (no updater state) travel in one
 * broadcast, and each executor JVM restores copies on demand and keeps them, keyed by the bytes' digest.
 * Concurrent tasks of one JVM each borrow their own copy: a graph's forward pass is not thread-safe.
 */
public final class BroadcastGraph implements Serializable {

    /** What one batch of records gives: one output per record, in order. */
    @FunctionalInterface
    public interface BatchFunction<R, T> extends Serializable {
        List<T> apply(ComputationGraph graph, List<R> batch);
    }

    private static final Map<String, Queue<ComputationGraph>> FREE = new ConcurrentHashMap<>();

    private final Broadcast<byte[]> bytes;
    private final String key;

    public BroadcastGraph(JavaSparkContext sc, ComputationGraph graph) {
        byte[] zip = toBytes(graph);
        this.bytes = sc.broadcast(zip);
        this.key = sha256(zip);
    }

    /** Runs {@code work} in an executor with a graph of its own. */
    public <T> T with(Function<ComputationGraph, T> work) {
        Nd4jRuntime.configure();
        Queue<ComputationGraph> free = FREE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
        ComputationGraph graph = free.poll();
        if (graph == null) {
            graph = fromBytes(bytes.value());
        }
        try {
            return work.apply(graph);
        } finally {
            free.offer(graph);
        }
    }

    /** Runs {@code function} over a partition in batches of {@code batchSize} records, with a graph of its own. */
    public <R, T> Iterator<T> mapInBatches(Iterator<R> records, int batchSize, BatchFunction<R, T> function) {
        return with(graph -> {
            List<T> out = new ArrayList<>();
            List<R> batch = new ArrayList<>(batchSize);
            while (records.hasNext()) {
                batch.add(records.next());
                if (batch.size() == batchSize || !records.hasNext()) {
                    out.addAll(function.apply(graph, batch));
                    batch.clear();
                }
            }
            return out.iterator();
        });
    }

    /** Drops the broadcast and this JVM's copies. */
    public void destroy() {
        bytes.destroy(false);
        FREE.remove(key);
    }

    /** The graph as a model zip without updater state. */
    public static byte[] toBytes(ComputationGraph graph) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelSerializer.writeModel(graph, out, false);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ComputationGraph fromBytes(byte[] zip) {
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
