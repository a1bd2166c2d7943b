package io.pretext.zoo.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class SparseSoftmaxOutputTest {

    private static final int FEATURES = 3;
    private static final int CLASSES = 5;

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** x [rows, FEATURES] -> logits (no bias) -> bias, softmax, masked cross-entropy. */
    private static ComputationGraph graph() {
        GraphBuilder g = LayerGraphs.builder(17).graphBuilder()
                .addInputs("x")
                .addLayer("logits", new DenseLayer.Builder().nIn(FEATURES).nOut(CLASSES).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "x")
                .addLayer("out", new SparseSoftmaxOutput(CLASSES), "logits")
                .setOutputs("out");
        ComputationGraph graph = LayerGraphs.init(g);
        graph.getParam("out_b").assign(LayerGraphs.gaussian(2, 1, CLASSES));
        return graph;
    }

    private static MultiDataSet data(INDArray x, double[][] labels, double[][] weights) {
        return new MultiDataSet(new INDArray[] {x}, new INDArray[] {Nd4j.createFromArray(labels)}, null,
                weights == null ? null : new INDArray[] {Nd4j.createFromArray(weights)});
    }

    private static double gradientWithRespectTo(ComputationGraph graph, MultiDataSet data, String param, int index) {
        return gradient(graph, data).getGradientFor(param).getDouble(index);
    }

    private static org.deeplearning4j.nn.gradient.Gradient gradient(ComputationGraph graph, MultiDataSet data) {
        graph.setInputs(data.getFeatures());
        graph.setLabels(data.getLabels());
        graph.setLayerMaskArrays(null, data.getLabelsMaskArrays());
        graph.computeGradientAndScore();
        return graph.gradient();
    }

    @Test
    void scoreIsTheMeanCrossEntropyOverWeightedRows() {
        ComputationGraph graph = graph();
        INDArray x = LayerGraphs.gaussian(1, 6, FEATURES);
        double[][] labels = {{4, 0, 2}, {1, 1, 3}};
        double[][] weights = {{1, 0, 1}, {1, 1, 0}};

        double score = graph.score(data(x, labels, weights));

        INDArray probabilities = graph.outputSingle(x);
        double sum = 0;
        double count = 0;
        for (int r = 0; r < 6; r++) {
            double w = weights[r / 3][r % 3];
            sum -= w * Math.log(probabilities.getDouble(r, (int) labels[r / 3][r % 3]));
            count += w;
        }
        assertEquals(sum / count, score, 1e-12);
        assertEquals(6, probabilities.sum(1).sumNumber().doubleValue(), 1e-12);
    }

    @Test
    void withoutALabelsMaskEveryRowCounts() {
        ComputationGraph graph = graph();
        INDArray x = LayerGraphs.gaussian(3, 4, FEATURES);
        double[][] labels = {{2, 3}, {0, 4}};

        assertEquals(graph.score(data(x, labels, new double[][] {{1, 1}, {1, 1}})), graph.score(data(x, labels, null)),
                1e-15);
    }

    @Test
    void rowsOfWeightZeroContributeExactlyNothing() {
        ComputationGraph graph = graph();
        INDArray x = LayerGraphs.gaussian(4, 4, FEATURES);
        INDArray changed = x.dup();
        changed.getRow(3).assign(LayerGraphs.gaussian(5, FEATURES).muli(10));
        double[][] weights = {{1, 1}, {1, 0}};

        org.deeplearning4j.nn.gradient.Gradient before = gradient(graph, data(x, new double[][] {{1, 2}, {3, 4}},
                weights));
        INDArray logitsGrad = before.getGradientFor("logits_W").dup();
        INDArray biasGrad = before.getGradientFor("out_b").dup();
        double score = graph.score();
        org.deeplearning4j.nn.gradient.Gradient after = gradient(graph, data(changed, new double[][] {{1, 2}, {3, 0}},
                weights));

        assertEquals(logitsGrad, after.getGradientFor("logits_W"));
        assertEquals(biasGrad, after.getGradientFor("out_b"));
        assertEquals(score, graph.score());
    }

    @Test
    void noWeightedRowGivesZeroLossAndGradient() {
        ComputationGraph graph = graph();
        MultiDataSet data = data(LayerGraphs.gaussian(6, 2, FEATURES), new double[][] {{1, 2}},
                new double[][] {{0, 0}});

        double grad = gradient(graph, data).gradient().amaxNumber().doubleValue();

        assertEquals(0.0, graph.score());
        assertEquals(0.0, grad);
    }

    record Case(String name, double[][] labels, double[][] weights) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("batch 1, all rows", new double[][] {{0, 4, 4}}, null),
                new Case("batch 2, weighted rows", new double[][] {{0, 4, 4}, {2, 1, 3}},
                        new double[][] {{1, 0, 1}, {0, 1, 1}}),
                new Case("batch 3, fractional weights", new double[][] {{1}, {3}, {3}},
                        new double[][] {{0.5}, {1}, {2}}));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientsMatchNumericalGradients(Case c) {
        int rows = c.labels().length * c.labels()[0].length;
        MultiDataSet data = data(LayerGraphs.gaussian(7, rows, FEATURES), c.labels(), c.weights());

        assertTrue(LayerGraphs.gradientsMatch(graph(), data.getFeatures(), null, data.getLabels(),
                data.getLabelsMaskArrays()));
    }

    @Test
    void biasGradientIsTheMeanOverRowsOfSoftmaxMinusOneHotTimesTheMinibatch() {
        ComputationGraph graph = graph();
        INDArray x = LayerGraphs.gaussian(8, 2, FEATURES);
        MultiDataSet data = data(x, new double[][] {{1, 3}}, null);   // one example of two rows

        // backprop's gradient, which the updater then divides by the minibatch of 1
        double grad = gradientWithRespectTo(graph, data, "out_b", 3);

        INDArray p = graph.outputSingle(x);
        assertEquals((p.getDouble(0, 3) + p.getDouble(1, 3) - 1) / 2, grad, 1e-12);
    }
}
