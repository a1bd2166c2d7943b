package io.pretext.jobs.train;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Graphs kept per executor JVM between averaging rounds: building a graph allocates all its parameters and
 * workspaces, so a task borrows one that a previous round left, loads the broadcast parameters into it, and
 * returns it. Concurrent tasks in one JVM each get their own graph.
 */
final class GraphPool {

    private static final Map<String, Queue<ComputationGraph>> FREE = new ConcurrentHashMap<>();

    private GraphPool() {
    }

    /** @param key a digest of {@code json}, so lookups do not hash the whole configuration */
    static ComputationGraph borrow(String key, String json) {
        ComputationGraph graph = FREE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        if (graph == null) {
            graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
            graph.init();
        }
        return graph;
    }

    static void release(String key, ComputationGraph graph) {
        FREE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).offer(graph);
    }
}
