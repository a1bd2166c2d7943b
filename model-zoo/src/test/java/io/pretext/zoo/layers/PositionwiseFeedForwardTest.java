package io.pretext.zoo.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PositionwiseFeedForwardTest {

    private static final int HIDDEN = 4;
    private static final int INTERMEDIATE = 6;
    private static final double EPS = 1e-12;

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static ComputationGraph graph() {
        GraphBuilder g = LayerGraphs.builder(9).graphBuilder()
                .addInputs("x", "positions")
                .addLayer("ffn", new PositionwiseFeedForward(HIDDEN, INTERMEDIATE, 0, EPS), "x");
        LayerGraphs.addSequenceLoss(g, "ffn", "positions");
        ComputationGraph graph = LayerGraphs.init(g);
        long seed = 50;
        for (String key : new String[] {"ffn_b1", "ffn_b2", "ffn_gamma", "ffn_beta"}) {
            INDArray p = graph.getParam(key);
            p.addi(LayerGraphs.gaussian(seed++, p.shape()).muli(0.3));
        }
        return graph;
    }

    @Test
    void matchesTheLoopReference() {
        ComputationGraph graph = graph();
        INDArray x = LayerGraphs.gaussian(1, 2, 3, HIDDEN);

        INDArray out = graph.feedForward(new INDArray[] {x, LayerGraphs.allPositions(2, 3)}, false).get("ffn");

        for (int b = 0; b < 2; b++) {
            double[][] expected = Reference.feedForward(Reference.sequence(x, b), graph.getParam("ffn_W1"),
                    graph.getParam("ffn_b1"), graph.getParam("ffn_W2"), graph.getParam("ffn_b2"),
                    graph.getParam("ffn_gamma"), graph.getParam("ffn_beta"), EPS);
            double[][] actual = Reference.sequence(out, b);
            for (int t = 0; t < 3; t++) {
                for (int k = 0; k < HIDDEN; k++) {
                    assertEquals(expected[t][k], actual[t][k], 1e-8);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void gradientsMatchNumericalGradients(int batch) {
        ComputationGraph graph = graph();
        INDArray[] inputs = {LayerGraphs.gaussian(2, batch, 3, HIDDEN), LayerGraphs.allPositions(batch, 3)};
        INDArray[] labels = {LayerGraphs.gaussian(3, batch * 3L, HIDDEN)};

        assertTrue(LayerGraphs.gradientsMatch(graph, inputs, null, labels, null));
    }
}
