package io.pretext.jobs.bert;

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
import java.util.HexFormat;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * A trained graph shipped to the executors for inference: its model-zip bytes travel in one broadcast, and each
 * executor JVM restores copies on demand and keeps them (concurrent tasks of one JVM each borrow their own copy:
 * a graph's forward pass is not thread-safe).
 */
final class GraphBroadcast implements Serializable {

    private static final Map<String, Queue<ComputationGraph>> FREE = new ConcurrentHashMap<>();

    private final Broadcast<byte[]> bytes;
    private final String key;

    GraphBroadcast(JavaSparkContext sc, ComputationGraph graph) {
        byte[] zip = toBytes(graph);
        this.bytes = sc.broadcast(zip);
        this.key = sha256(zip);
    }

    /** Runs {@code work} in an executor with a graph of its own. */
    <T> T with(Function<ComputationGraph, T> work) {
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

    /** Drops the broadcast and this JVM's copies. */
    void destroy() {
        bytes.destroy(false);
        FREE.remove(key);
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
