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

class LayerNormTest {

    private static final int SIZE = 5;
    private static final double EPS = 1e-12;

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** x [B, T, SIZE] -> LayerNorm -> loss; gamma and beta moved off 1 and 0 so that both matter. */
    private static ComputationGraph graph(double dropout) {
        GraphBuilder g = LayerGraphs.builder(5).graphBuilder()
                .addInputs("x", "positions")
                .addLayer("norm", new LayerNorm(SIZE, EPS, dropout), "x");
        LayerGraphs.addSequenceLoss(g, "norm", "positions");
        ComputationGraph graph = LayerGraphs.init(g);
        graph.getParam("norm_" + LayerNorm.GAMMA_KEY).assign(LayerGraphs.gaussian(1, 1, SIZE).addi(1));
        graph.getParam("norm_" + LayerNorm.BETA_KEY).assign(LayerGraphs.gaussian(2, 1, SIZE));
        return graph;
    }

    @Test
    void normalisesEachPositionOverItsFeatures() {
        ComputationGraph graph = graph(0);
        INDArray x = LayerGraphs.gaussian(3, 2, 3, SIZE).muli(4).addi(2);

        INDArray out = graph.feedForward(new INDArray[] {x, LayerGraphs.allPositions(2, 3)}, false).get("norm");

        double[] gamma = graph.getParam("norm_" + LayerNorm.GAMMA_KEY).toDoubleVector();
        double[] beta = graph.getParam("norm_" + LayerNorm.BETA_KEY).toDoubleVector();
        for (int b = 0; b < 2; b++) {
            double[][] expected = Reference.layerNorm(Reference.sequence(x, b), gamma, beta, EPS);
            double[][] actual = Reference.sequence(out, b);
            for (int t = 0; t < 3; t++) {
                for (int k = 0; k < SIZE; k++) {
                    assertEquals(expected[t][k], actual[t][k], 1e-10);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void gradientsMatchNumericalGradients(int batch) {
        ComputationGraph graph = graph(0);
        INDArray[] inputs = {LayerGraphs.gaussian(4, batch, 4, SIZE), LayerGraphs.allPositions(batch, 4)};
        INDArray[] labels = {LayerGraphs.gaussian(5, batch * 4L, SIZE)};

        assertTrue(LayerGraphs.gradientsMatch(graph, inputs, null, labels, null));
    }

    @Test
    void dropoutZeroesTheRateAndRescalesTheRestInTrainingOnly() {
        ComputationGraph graph = graph(0.25);
        INDArray x = LayerGraphs.gaussian(6, 8, 50, SIZE);
        INDArray[] inputs = {x, LayerGraphs.allPositions(8, 50)};

        INDArray inference = graph.feedForward(inputs, false).get("norm");
        INDArray training = graph.feedForward(inputs, true).get("norm");

        assertEquals(inference, graph.feedForward(inputs, false).get("norm"));
        INDArray kept = training.neq(0).castTo(DataType.DOUBLE);
        double keptFraction = kept.meanNumber().doubleValue();
        assertEquals(0.75, keptFraction, 0.03);
        // every kept value is the inference value / 0.75
        assertEquals(0, training.sub(inference.mul(kept).divi(0.75)).amaxNumber().doubleValue(), 1e-12);
    }
}
