package io.pretext.jobs.pretrain;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.function.LongToDoubleFunction;

/** The learning rate a graph's updater applies at a given step, read from its configuration (for metrics). */
public final class LearningRates {

    private LearningRates() {
    }

    public static LongToDoubleFunction of(ComputationGraph graph) {
        IUpdater updater = null;
        for (Layer layer : graph.getLayers()) {
            if (layer.numParams() > 0) {
                updater = layer.conf().getLayer().getUpdaterByParam(layer.paramTable().keySet().iterator().next());
                break;
            }
        }
        if (updater == null) {
            return step -> Double.NaN;
        }
        IUpdater u = updater;
        return step -> u.getLearningRate((int) Math.min(Integer.MAX_VALUE, step), 0);
    }
}
