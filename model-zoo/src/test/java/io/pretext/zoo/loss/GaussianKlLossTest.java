package io.pretext.zoo.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class GaussianKlLossTest {

    private static final IActivation IDENTITY = new ActivationIdentity();

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /**
     * KL(N(mu, exp(v)) || N(0, 1)) = integral of q(z) (log q(z) - log p(z)) dz by Simpson's rule over
     * mu +- 14 sigma, where q has all but ~1e-44 of its mass.
     */
    private static double integratedKl(double mu, double logVariance) {
        double sigma = Math.exp(0.5 * logVariance);
        double a = mu - 14 * sigma;
        double b = mu + 14 * sigma;
        int intervals = 40_000;
        double h = (b - a) / intervals;
        double sum = 0;
        for (int k = 0; k <= intervals; k++) {
            double z = a + k * h;
            double logQ = -0.5 * Math.log(2 * Math.PI) - 0.5 * logVariance - (z - mu) * (z - mu) / (2 * sigma * sigma);
            double logP = -0.5 * Math.log(2 * Math.PI) - z * z / 2;
            double f = Math.exp(logQ) * (logQ - logP);
            sum += f * (k == 0 || k == intervals ? 1 : (k % 2 == 1 ? 4 : 2));
        }
        return sum * h / 3;
    }

    record Posterior(double[] mean, double[] logVariance) {
        @Override
        public String toString() {
            return "mu=" + java.util.Arrays.toString(mean) + " v=" + java.util.Arrays.toString(logVariance);
        }
    }

    static Stream<Posterior> posteriors() {
        return Stream.of(
                new Posterior(new double[] {0.0}, new double[] {0.0}),
                new Posterior(new double[] {1.5}, new double[] {0.0}),
                new Posterior(new double[] {0.0}, new double[] {-2.0}),
                new Posterior(new double[] {-0.7}, new double[] {1.2}),
                new Posterior(new double[] {2.0, -1.0, 0.3}, new double[] {-3.0, 0.5, -0.1}));
    }

    @ParameterizedTest
    @MethodSource("posteriors")
    void matchesNumericalIntegrationOfTheDivergence(Posterior p) {
        double expected = 0;
        for (int j = 0; j < p.mean().length; j++) {
            expected += integratedKl(p.mean()[j], p.logVariance()[j]);
        }
        INDArray pre = Nd4j.concat(1, Nd4j.create(new double[][] {p.mean()}),
                Nd4j.create(new double[][] {p.logVariance()}));

        double kl = new GaussianKlLoss().computeScoreArray(null, pre, IDENTITY, null).getDouble(0, 0);

        assertEquals(expected, kl, 1e-9);
    }

    @Test
    void isZeroExactlyAtThePrior() {
        INDArray pre = Nd4j.zeros(DataType.DOUBLE, 3, 8);

        assertEquals(0.0, new GaussianKlLoss().computeScore(null, pre, IDENTITY, null, false), 0.0);
    }

    @Test
    void perExampleAgreesWithTheLossRows() {
        INDArray mean = Nd4j.randn(DataType.DOUBLE, 4, 3);
        INDArray logVariance = Nd4j.randn(DataType.DOUBLE, 4, 3);

        INDArray direct = GaussianKlLoss.perExample(mean, logVariance);
        INDArray rows = new GaussianKlLoss().computeScoreArray(Nd4j.zeros(4, 1), Nd4j.concat(1, mean, logVariance),
                IDENTITY, null);

        assertEquals(rows, direct);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void gradientEqualsFiniteDifferenceOfScore(int rows) {
        Random random = new Random(rows);
        double[][] values = new double[rows][6];
        for (double[] row : values) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian();
            }
        }
        INDArray pre = Nd4j.create(values);
        GaussianKlLoss loss = new GaussianKlLoss();
        double eps = 1e-6;

        INDArray gradient = loss.computeGradient(null, pre, IDENTITY, null);

        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 6; j++) {
                INDArray plus = pre.dup();
                plus.putScalar(i, j, pre.getDouble(i, j) + eps);
                INDArray minus = pre.dup();
                minus.putScalar(i, j, pre.getDouble(i, j) - eps);
                double numeric = (loss.computeScore(null, plus, IDENTITY, null, false)
                        - loss.computeScore(null, minus, IDENTITY, null, false)) / (2 * eps);
                double analytic = gradient.getDouble(i, j);
                double absError = Math.abs(numeric - analytic);
                assertTrue(absError < 1e-8 || absError / (Math.abs(numeric) + Math.abs(analytic)) < 1e-5,
                        "d/d pre[" + i + "," + j + "]: analytic " + analytic + " numeric " + numeric);
            }
        }
    }

    private static ComputationGraphConfiguration klGraph() {
        return new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("params", new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.IDENTITY).build(),
                        "hidden")
                .addLayer("kl", new LossLayer.Builder(new GaussianKlLoss()).activation(Activation.IDENTITY).build(),
                        "params")
                .setOutputs("kl")
                .build();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void graphWithTheLossPassesGradientCheck(int batch) {
        ComputationGraph graph = new ComputationGraph(klGraph());
        graph.init();
        INDArray input = Nd4j.randn(DataType.DOUBLE, batch, 5);

        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(new INDArray[] {input})
                .labels(new INDArray[] {Nd4j.zeros(DataType.DOUBLE, batch, 1)})
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }

    @Test
    void roundTripsThroughGraphJson() {
        ComputationGraphConfiguration conf = klGraph();

        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());

        LossLayer layer = (LossLayer) ((LayerVertex) restored.getVertices().get("kl")).getLayerConf().getLayer();
        assertEquals(new GaussianKlLoss(), layer.getLossFn());
        assertEquals(conf, restored);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void rejectsAnOddNumberOfColumns(int columns) {
        INDArray pre = Nd4j.zeros(DataType.DOUBLE, 2, columns);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianKlLoss().computeScore(null, pre, IDENTITY, null, true));

        assertTrue(e.getMessage().contains("expects [N, 2L] rows (means, then log variances)"), e.getMessage());
    }

    @Test
    void rejectsLabelsWithAnotherNumberOfRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianKlLoss().computeGradient(Nd4j.zeros(3, 1), Nd4j.zeros(2, 4), IDENTITY, null));

        assertTrue(e.getMessage().contains("must have one row per example, i.e. shape [2, 1], got [3, 1]"),
                e.getMessage());
    }
}
