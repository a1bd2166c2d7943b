package io.pretext.zoo.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class ActivationErfGeluTest {

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** Phi(x) of the standard normal distribution, to 16 digits. */
    @ParameterizedTest
    @CsvSource({"-3.0, 0.0013498980316300946", "-1.0, 0.15865525393145707", "0.0, 0.5", "0.5, 0.6914624612740131",
            "1.0, 0.8413447460685429", "2.0, 0.9772498680518208"})
    void isXTimesTheNormalCdf(double x, double cdf) {
        INDArray in = Nd4j.createFromArray(x);

        double y = new ActivationErfGelu().getActivation(in, false).getDouble(0);

        assertEquals(x * cdf, y, 1e-7);
        assertEquals(x * cdf, Reference.gelu(x), 1e-12);
    }

    @Test
    void matchesTheReferenceOverARange() {
        INDArray x = Nd4j.linspace(-6, 6, 241, DataType.DOUBLE);

        INDArray y = new ActivationErfGelu().getActivation(x.dup(), false);

        for (int i = 0; i < x.length(); i++) {
            assertEquals(Reference.gelu(x.getDouble(i)), y.getDouble(i), 1e-7);
        }
    }

    @Test
    void gradientsMatchNumericalGradients() {
        GraphBuilder g = LayerGraphs.builder(23).graphBuilder()
                .addInputs("x")
                .addLayer("gelu", new DenseLayer.Builder().nIn(3).nOut(4).activation(new ActivationErfGelu()).build(),
                        "x")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build(), "gelu")
                .setOutputs("out");
        ComputationGraph graph = LayerGraphs.init(g);

        assertTrue(LayerGraphs.gradientsMatch(graph, new INDArray[] {LayerGraphs.gaussian(1, 5, 3).muli(2)}, null,
                new INDArray[] {LayerGraphs.gaussian(2, 5, 2)}, null));
    }
}
