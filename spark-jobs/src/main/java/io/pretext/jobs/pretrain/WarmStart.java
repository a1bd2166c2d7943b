package io.pretext.jobs.pretrain;

import io.pretext.jobs.storage.RunDirectory;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code --init-from RUN_DIR}: a new run starts from the final parameters of an earlier run of the same
 * architecture (continual pretraining on new data). The optimiser starts afresh: its state and learning-rate
 * schedule belong to the new run.
 */
final class WarmStart {

    private static final Logger log = LoggerFactory.getLogger(WarmStart.class);

    private WarmStart() {
    }

    static void apply(ComputationGraph graph, String runDir) {
        RunDirectory from = RunDirectory.open(runDir);
        if (!from.exists(RunDirectory.MODEL)) {
            throw new IllegalArgumentException("--init-from " + runDir + " has no " + RunDirectory.MODEL
                    + " (it must be a finished run)");
        }
        ComputationGraph source;
        try (InputStream in = from.openInput(RunDirectory.MODEL)) {
            source = ModelSerializer.restoreComputationGraph(in, false);
        } catch (IOException e) {
            throw new IllegalArgumentException("--init-from: cannot read " + from.path(RunDirectory.MODEL) + ": "
                    + e.getMessage(), e);
        }
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Layer other = source.getLayer(name);
            Map<String, long[]> shapes = shapes(layer);
            if (other == null || !shapesEqual(shapes, shapes(other))) {
                throw new IllegalArgumentException("--init-from " + runDir + ": layer " + name + " "
                        + (other == null ? "is missing" : "has other shapes") + " in that run's model; warm starts "
                        + "need the same architecture (compare its config.yaml model: section with this run's)");
            }
        }
        if (graph.numParams() != source.numParams()) {
            throw new IllegalArgumentException("--init-from " + runDir + ": that model has " + source.numParams()
                    + " parameters, this one " + graph.numParams() + " (the architectures differ)");
        }
        graph.setParams(source.params());
        log.info("initialised from {} ({} parameters)", from.path(RunDirectory.MODEL), source.numParams());
    }

    private static Map<String, long[]> shapes(Layer layer) {
        Map<String, long[]> out = new java.util.TreeMap<>();
        layer.paramTable().forEach((k, v) -> out.put(k, v.shape()));
        return out;
    }

    private static boolean shapesEqual(Map<String, long[]> a, Map<String, long[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (String k : a.keySet()) {
            if (!java.util.Arrays.equals(a.get(k), b.get(k))) {
                return false;
            }
        }
        return true;
    }
}
