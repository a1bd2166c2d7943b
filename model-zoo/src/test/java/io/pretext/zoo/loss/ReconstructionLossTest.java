package io.pretext.zoo.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;

import io.pretext.zoo.loss.ReconstructionLoss.Kind;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class ReconstructionLossTest {

    private static final IActivation IDENTITY = new ActivationIdentity();
    private static final IActivation SIGMOID = new ActivationSigmoid();

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static INDArray gaussian(long seed, long rows, long columns) {
        Random random = new Random(seed);
        double[][] values = new double[(int) rows][(int) columns];
        for (double[] row : values) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return Nd4j.create(values);
    }

    private static INDArray uniform(long seed, long rows, long columns) {
        Random random = new Random(seed);
        double[][] values = new double[(int) rows][(int) columns];
        for (double[] row : values) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextDouble();
            }
        }
        return Nd4j.create(values);
    }

    @Test
    void mseRowScoresMatchHandComputedValues() {
        INDArray out = Nd4j.create(new double[][] {{0.5, 1.0, -1.0}, {2.0, 0.0, 0.25}});
        INDArray x = Nd4j.create(new double[][] {{0.0, 1.0, 1.0}, {1.0, 0.5, 0.25}});
        // row 0: 0.25 + 0 + 4 = 4.25; row 1: 1 + 0.25 + 0 = 1.25
        ReconstructionLoss sum = new ReconstructionLoss(Kind.MSE, 1.0);
        ReconstructionLoss mean = new ReconstructionLoss(Kind.MSE, 1.0 / 3);

        assertEquals(4.25, sum.computeScoreArray(x, out, IDENTITY, null).getDouble(0, 0), 1e-12);
        assertEquals(1.25, sum.computeScoreArray(x, out, IDENTITY, null).getDouble(1, 0), 1e-12);
        assertEquals(5.5, sum.computeScore(x, out, IDENTITY, null, false), 1e-12);
        assertEquals(2.75, sum.computeScore(x, out, IDENTITY, null, true), 1e-12);
        assertEquals(4.25 / 3, mean.computeScoreArray(x, out, IDENTITY, null).getDouble(0, 0), 1e-12);
    }

    @Test
    void mseAppliesTheActivationBeforeTheError() {
        INDArray z = Nd4j.create(new double[][] {{0.0, Math.log(3)}});
        INDArray x = Nd4j.create(new double[][] {{1.0, 0.0}});
        // sigmoid(0) = 0.5, sigmoid(ln 3) = 0.75: 0.25 + 0.5625
        double score = new ReconstructionLoss(Kind.MSE, 1.0).computeScore(x, z, SIGMOID, null, false);

        assertEquals(0.8125, score, 1e-12);
    }

    @Test
    void bceRowScoresMatchHandComputedValues() {
        INDArray z = Nd4j.create(new double[][] {{0.0, Math.log(3), -2.0}});
        INDArray x = Nd4j.create(new double[][] {{1.0, 0.0, 0.25}});
        // -ln 0.5 + -ln(1 - 0.75) + [-(0.25 ln s(-2) + 0.75 ln(1 - s(-2)))]
        double s = 1 / (1 + Math.exp(2.0));
        double expected = Math.log(2) + Math.log(4) - (0.25 * Math.log(s) + 0.75 * Math.log(1 - s));

        double score = new ReconstructionLoss(Kind.BCE, 1.0).computeScore(x, z, SIGMOID, null, false);

        assertEquals(expected, score, 1e-12);
    }

    @Test
    void bceAgreesWithTheProbabilityFormOnModerateLogits() {
        INDArray z = gaussian(3, 4, 6).muli(3);
        INDArray x = uniform(4, 4, 6);
        INDArray losses = new ReconstructionLoss(Kind.BCE, 1.0).elementLosses(x, z, SIGMOID);

        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                double p = 1 / (1 + Math.exp(-z.getDouble(i, j)));
                double xij = x.getDouble(i, j);
                double expected = -xij * Math.log(p) - (1 - xij) * Math.log(1 - p);
                assertEquals(expected, losses.getDouble(i, j), 1e-10, "element " + i + "," + j);
            }
        }
    }

    @Test
    void bceStaysFiniteWhereTheSigmoidSaturates() {
        INDArray z = Nd4j.create(new double[][] {{60.0, -60.0, 60.0, -60.0}});
        INDArray x = Nd4j.create(new double[][] {{1.0, 0.0, 0.0, 1.0}});

        INDArray losses = new ReconstructionLoss(Kind.BCE, 1.0).elementLosses(x, z, SIGMOID);

        // right answers cost log(1 + e^-60) ~ 8.8e-27; wrong ones 60 + that
        assertEquals(0.0, losses.getDouble(0, 0), 1e-20);
        assertEquals(0.0, losses.getDouble(0, 1), 1e-20);
        assertEquals(60.0, losses.getDouble(0, 2), 1e-12);
        assertEquals(60.0, losses.getDouble(0, 3), 1e-12);
    }

    record GradientCase(String name, Kind kind, IActivation activation, double elementWeight) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<GradientCase> gradientCases() {
        return Stream.of(
                new GradientCase("mse identity sum", Kind.MSE, new ActivationIdentity(), 1.0),
                new GradientCase("mse sigmoid mean", Kind.MSE, new ActivationSigmoid(), 1.0 / 5),
                new GradientCase("mse tanh", Kind.MSE, new ActivationTanH(), 0.3),
                new GradientCase("bce sum", Kind.BCE, new ActivationSigmoid(), 1.0),
                new GradientCase("bce mean", Kind.BCE, new ActivationSigmoid(), 1.0 / 5));
    }

    @ParameterizedTest
    @MethodSource("gradientCases")
    void gradientEqualsFiniteDifferenceOfScore(GradientCase c) {
        INDArray pre = gaussian(11, 3, 5).muli(2);
        INDArray x = uniform(12, 3, 5);
        ReconstructionLoss loss = new ReconstructionLoss(c.kind(), c.elementWeight());
        double eps = 1e-6;

        INDArray gradient = loss.computeGradient(x, pre, c.activation(), null);

        for (int i = 0; i < pre.rows(); i++) {
            for (int j = 0; j < pre.columns(); j++) {
                INDArray plus = pre.dup();
                plus.putScalar(i, j, pre.getDouble(i, j) + eps);
                INDArray minus = pre.dup();
                minus.putScalar(i, j, pre.getDouble(i, j) - eps);
                double numeric = (loss.computeScore(x, plus, c.activation(), null, false)
                        - loss.computeScore(x, minus, c.activation(), null, false)) / (2 * eps);
                double analytic = gradient.getDouble(i, j);
                double absError = Math.abs(numeric - analytic);
                double relError = absError / (Math.abs(numeric) + Math.abs(analytic));
                assertTrue(absError < 1e-8 || relError < 1e-5,
                        "d/d pre[" + i + "," + j + "]: analytic " + analytic + " numeric " + numeric);
            }
        }
    }

    record GraphCase(Kind kind, Activation activation, int batch) {
    }

    static Stream<GraphCase> graphCases() {
        return Stream.of(new GraphCase(Kind.MSE, Activation.IDENTITY, 1),
                new GraphCase(Kind.MSE, Activation.SIGMOID, 3),
                new GraphCase(Kind.BCE, Activation.SIGMOID, 1),
                new GraphCase(Kind.BCE, Activation.SIGMOID, 4));
    }

    private static NeuralNetConfiguration.Builder checkBuilder() {
        return new NeuralNetConfiguration.Builder()
                .seed(123)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER);
    }

    @ParameterizedTest
    @MethodSource("graphCases")
    void denseGraphWithTheLossPassesGradientCheck(GraphCase c) {
        ComputationGraph graph = new ComputationGraph(checkBuilder().graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(6).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("out", new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.IDENTITY).build(),
                        "hidden")
                .addLayer("loss", new LossLayer.Builder(new ReconstructionLoss(c.kind(), 1.0 / 6))
                        .activation(c.activation()).build(), "out")
                .setOutputs("loss")
                .build());
        graph.init();
        INDArray x = uniform(c.batch(), c.batch(), 6);

        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(new INDArray[] {x})
                .labels(new INDArray[] {x})
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }

    @ParameterizedTest
    @MethodSource("graphCases")
    void convolutionGraphWithThePixelLossPassesGradientCheck(GraphCase c) {
        ComputationGraph graph = new ComputationGraph(checkBuilder().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(4, 4, 2))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("out", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(2)
                        .activation(Activation.IDENTITY).build(), "conv")
                .addLayer("loss", new CnnLossLayer.Builder(new ReconstructionLoss(c.kind(), 1.0 / 32))
                        .activation(c.activation()).format(CNN2DFormat.NCHW).build(), "out")
                .setOutputs("loss")
                .build());
        graph.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, c.batch(), 2, 4, 4);

        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(new INDArray[] {x})
                .labels(new INDArray[] {x})
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }

    @Test
    void pixelLossLayerSumsEachExamplesPixelsToTheMeanOverItsElements() {
        ComputationGraph graph = new ComputationGraph(checkBuilder().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(3, 3, 2))
                .addLayer("loss", new CnnLossLayer.Builder(new ReconstructionLoss(Kind.MSE, 1.0 / 18))
                        .activation(Activation.IDENTITY).format(CNN2DFormat.NCHW).build(), "in")
                .setOutputs("loss")
                .build());
        graph.init();
        INDArray out = Nd4j.rand(DataType.DOUBLE, 2, 2, 3, 3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 3, 3);
        INDArray squared = out.sub(x).muli(out.sub(x));

        INDArray perExample = graph.scoreExamples(
                new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {out}, new INDArray[] {x}), false);

        for (int i = 0; i < 2; i++) {
            assertEquals(squared.slice(i).meanNumber().doubleValue(), perExample.getDouble(i), 1e-12);
        }
    }

    @Test
    void roundTripsThroughGraphJson() {
        ComputationGraphConfiguration conf = checkBuilder().graphBuilder()
                .addInputs("in")
                .addLayer("loss", new LossLayer.Builder(new ReconstructionLoss(Kind.BCE, 0.25))
                        .activation(Activation.SIGMOID).build(), "in")
                .setOutputs("loss")
                .build();

        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());

        LossLayer layer = (LossLayer) ((LayerVertex) restored.getVertices().get("loss")).getLayerConf().getLayer();
        assertEquals(new ReconstructionLoss(Kind.BCE, 0.25), layer.getLossFn());
        assertEquals(conf, restored);
    }

    record Rejection(String name, Runnable call, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rejection> rejections() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3);
        INDArray z = Nd4j.rand(DataType.DOUBLE, 2, 3);
        ReconstructionLoss bce = new ReconstructionLoss(Kind.BCE, 1.0);
        ReconstructionLoss mse = new ReconstructionLoss(Kind.MSE, 1.0);
        return Stream.of(
                new Rejection("bce without sigmoid", () -> bce.computeScore(x, z, IDENTITY, null, true),
                        "bce reconstruction needs a sigmoid output activation"),
                new Rejection("bce target above one", () -> bce.computeGradient(x.add(1), z, SIGMOID, null),
                        "bce reconstruction needs targets in [0, 1], got values in ["),
                new Rejection("labels mask",
                        () -> mse.computeGradient(x, z, IDENTITY, Nd4j.ones(DataType.DOUBLE, 2, 1)),
                        "does not take a labels mask"),
                new Rejection("target of another shape",
                        () -> mse.computeScoreArray(Nd4j.rand(DataType.DOUBLE, 2, 4), z, IDENTITY, null),
                        "reconstruction targets must have the output's shape [2, 3], got [2, 4]"),
                new Rejection("zero element weight", () -> new ReconstructionLoss(Kind.MSE, 0.0),
                        "elementWeight must be a finite number > 0, got 0.0"),
                new Rejection("unknown kind", () -> Kind.of("l1"), "must be one of [mse, bce], got \"l1\""));
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void rejectsMisuseNamingTheRule(Rejection r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r.call()::run);

        assertTrue(e.getMessage().contains(r.message()), e.getMessage());
    }
}
