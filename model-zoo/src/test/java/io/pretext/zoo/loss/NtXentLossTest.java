package io.pretext.zoo.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import java.util.stream.Stream;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

class NtXentLossTest {

    private static final IActivation IDENTITY = new ActivationIdentity();

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** NT-Xent straight from the SimCLR paper's Algorithm 1, one pair and one row at a time; losses by row. */
    private static double[] referenceLosses(double[][] z, double tau) {
        int twoN = z.length;
        int n = twoN / 2;
        double[][] s = new double[twoN][twoN];
        for (int i = 0; i < twoN; i++) {
            for (int j = 0; j < twoN; j++) {
                s[i][j] = cosine(z[i], z[j]);
            }
        }
        double[] losses = new double[twoN];
        // the paper pairs rows (2k-1, 2k); here the views of example k are rows k and k+N
        for (int k = 0; k < n; k++) {
            losses[k] = ell(s, k, k + n, tau);
            losses[k + n] = ell(s, k + n, k, tau);
        }
        return losses;
    }

    /** l(i, j) = -log( exp(s_ij / tau) / sum_{k != i} exp(s_ik / tau) ). */
    private static double ell(double[][] s, int i, int j, double tau) {
        double denominator = 0;
        for (int k = 0; k < s.length; k++) {
            if (k != i) {
                denominator += Math.exp(s[i][k] / tau);
            }
        }
        return -Math.log(Math.exp(s[i][j] / tau) / denominator);
    }

    private static double cosine(double[] u, double[] v) {
        double dot = 0;
        double uu = 0;
        double vv = 0;
        for (int d = 0; d < u.length; d++) {
            dot += u[d] * v[d];
            uu += u[d] * u[d];
            vv += v[d] * v[d];
        }
        return dot / (Math.sqrt(uu) * Math.sqrt(vv));
    }

    /** Standard normal values from {@code seed}, independent of ND4J's global random generator. */
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

    private static INDArray labels(long rows) {
        return Nd4j.zeros(DataType.DOUBLE, rows, 1);
    }

    record Case(int n, int dim, double temperature, long seed) {
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(1, 4, 0.5, 1),
                new Case(2, 3, 0.5, 2),
                new Case(3, 8, 0.1, 3),
                new Case(5, 16, 1.0, 4),
                new Case(8, 5, 0.07, 5));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesLoopReferenceFromThePaper(Case c) {
        INDArray z = gaussian(c.seed(), 2L * c.n(), c.dim()).muli(2);
        NtXentLoss loss = new NtXentLoss(c.temperature());

        double[] expected = referenceLosses(z.toDoubleMatrix(), c.temperature());
        double[] actual = loss.computeScoreArray(labels(z.rows()), z, IDENTITY, null).toDoubleVector();

        double expectedMean = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "row " + i);
            expectedMean += expected[i] / expected.length;
        }
        assertEquals(expectedMean, loss.computeScore(labels(z.rows()), z, IDENTITY, null, true), 1e-5);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 16})
    void identicalEmbeddingsGiveLogOfTwoNMinusOne(int n) {
        INDArray z = Nd4j.ones(DataType.DOUBLE, 2L * n, 6).muliRowVector(Nd4j.createFromArray(1.0, -2, 3, 0.5, 1, 2));

        double score = new NtXentLoss(0.3).computeScore(labels(2L * n), z, IDENTITY, null, true);

        assertEquals(Math.log(2 * n - 1), score, 1e-10);
    }

    @Test
    void swappingTheTwoViewsLeavesTheLossUnchanged() {
        int n = 4;
        INDArray z = gaussian(7, 2L * n, 5);
        INDArray swapped = Nd4j.concat(0, z.get(NDArrayIndex.interval(n, 2 * n)),
                z.get(NDArrayIndex.interval(0, n)));
        NtXentLoss loss = new NtXentLoss(0.5);

        double original = loss.computeScore(labels(2L * n), z, IDENTITY, null, true);
        double afterSwap = loss.computeScore(labels(2L * n), swapped, IDENTITY, null, true);

        assertEquals(original, afterSwap, 1e-12);
    }

    record GradientCase(int n, double temperature, IActivation activation) {
    }

    static Stream<GradientCase> gradientCases() {
        return Stream.of(
                new GradientCase(1, 0.5, new ActivationIdentity()),
                new GradientCase(2, 0.5, new ActivationIdentity()),
                new GradientCase(3, 0.2, new ActivationTanH()),
                new GradientCase(4, 1.0, new ActivationIdentity()));
    }

    @ParameterizedTest
    @MethodSource("gradientCases")
    void gradientEqualsFiniteDifferenceOfScore(GradientCase c) {
        INDArray pre = gaussian(11, 2L * c.n(), 4);
        NtXentLoss loss = new NtXentLoss(c.temperature());
        INDArray labels = labels(pre.rows());
        double eps = 1e-6;

        INDArray gradient = loss.computeGradient(labels, pre, c.activation(), null);

        for (int i = 0; i < pre.rows(); i++) {
            for (int j = 0; j < pre.columns(); j++) {
                INDArray plus = pre.dup();
                plus.putScalar(i, j, pre.getDouble(i, j) + eps);
                INDArray minus = pre.dup();
                minus.putScalar(i, j, pre.getDouble(i, j) - eps);
                double numeric = (loss.computeScore(labels, plus, c.activation(), null, false)
                        - loss.computeScore(labels, minus, c.activation(), null, false)) / (2 * eps);
                double analytic = gradient.getDouble(i, j);
                double absError = Math.abs(numeric - analytic);
                double relError = absError / (Math.abs(numeric) + Math.abs(analytic));
                assertTrue(absError < 1e-8 || relError < 1e-5,
                        "d/d pre[" + i + "," + j + "]: analytic " + analytic + " numeric " + numeric);
            }
        }
    }

    record GraphCase(int n, double temperature) {
    }

    static Stream<GraphCase> graphCases() {
        return Stream.of(new GraphCase(1, 0.5), new GraphCase(2, 0.5), new GraphCase(3, 0.1), new GraphCase(5, 1.0));
    }

    private static ComputationGraph denseGraph(NtXentLoss loss, IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(Nd4j.defaultFloatingPointType())
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(5).nOut(6).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(loss).nIn(6).nOut(4).activation(Activation.IDENTITY).build(),
                        "dense")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @ParameterizedTest
    @MethodSource("graphCases")
    void wholeGraphPassesGradientCheck(GraphCase c) {
        ComputationGraph graph = denseGraph(new NtXentLoss(c.temperature()), new NoOp());
        INDArray input = gaussian(c.n(), 2L * c.n(), 5);

        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(new INDArray[] {input})
                .labels(new INDArray[] {labels(input.rows())})
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));

        assertTrue(passed);
    }

    @Test
    void trainingStepComputesTheLossOnce() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        ComputationGraph graph = denseGraph(new NtXentLoss(0.5), new Adam(1e-3));
        NtXentLoss inGraph = (NtXentLoss) ((OutputLayer) ((LayerVertex) graph.getConfiguration().getVertices()
                .get("out")).getLayerConf().getLayer()).getLossFn();
        INDArray input = Nd4j.rand(DataType.FLOAT, 8, 5);

        graph.fit(new DataSet(input, Nd4j.zeros(DataType.FLOAT, 8, 1)));

        assertEquals(1, inGraph.computationsOnThisThread());
    }

    @Test
    void bitIdenticalInputReusesTheCachedResult() {
        NtXentLoss loss = new NtXentLoss(0.5);
        INDArray pre = gaussian(3, 6, 4);

        INDArray gradient = loss.computeGradient(labels(6), pre, IDENTITY, null);
        double score = loss.computeScore(labels(6), pre.dup(), IDENTITY, null, false);

        assertEquals(1, loss.computationsOnThisThread());
        assertEquals(new NtXentLoss(0.5).computeScore(labels(6), pre, IDENTITY, null, false), score, 0.0);
        assertEquals(new NtXentLoss(0.5).computeGradient(labels(6), pre, IDENTITY, null), gradient);
    }

    @Test
    void inputDifferingInOneUlpIsRecomputed() {
        NtXentLoss loss = new NtXentLoss(0.5);
        INDArray pre = gaussian(4, 6, 4);
        INDArray nudged = pre.dup();
        nudged.putScalar(5, 3, Math.nextUp(pre.getDouble(5, 3)));

        loss.computeGradient(labels(6), pre, IDENTITY, null);
        INDArray gradient = loss.computeGradient(labels(6), nudged, IDENTITY, null);

        assertEquals(2, loss.computationsOnThisThread());
        INDArray fresh = new NtXentLoss(0.5).computeGradient(labels(6), nudged, IDENTITY, null);
        assertTrue(fresh.equalsWithEps(gradient, 0.0), "gradient must be the one of the nudged input");
    }

    @Test
    void eachThreadKeepsItsOwnResult() throws Exception {
        NtXentLoss loss = new NtXentLoss(0.5);
        INDArray mine = gaussian(9, 6, 4);
        INDArray theirs = gaussian(10, 6, 4);

        double first = loss.computeScore(labels(6), mine, IDENTITY, null, false);
        Thread other = new Thread(() -> loss.computeScore(labels(6), theirs, IDENTITY, null, false));
        other.start();
        other.join();
        double again = loss.computeScore(labels(6), mine, IDENTITY, null, false);

        assertEquals(1, loss.computationsOnThisThread());
        assertEquals(first, again, 0.0);
    }

    @Test
    void otherActivationIsRecomputed() {
        NtXentLoss loss = new NtXentLoss(0.5);
        INDArray pre = gaussian(5, 4, 3);

        double identity = loss.computeScore(labels(4), pre, IDENTITY, null, false);
        double tanh = loss.computeScore(labels(4), pre, new ActivationTanH(), null, false);

        assertEquals(2, loss.computationsOnThisThread());
        assertNotEquals(identity, tanh);
    }

    @Test
    void returnedGradientIsACopy() {
        NtXentLoss loss = new NtXentLoss(0.5);
        INDArray pre = gaussian(6, 4, 3);

        INDArray first = loss.computeGradient(labels(4), pre, IDENTITY, null);
        INDArray expected = first.dup();
        first.muli(100);
        INDArray second = loss.computeGradient(labels(4), pre, IDENTITY, null);

        assertEquals(expected, second);
    }

    @Test
    void roundTripsThroughGraphJson() {
        ComputationGraphConfiguration conf = denseGraph(new NtXentLoss(0.2), new NoOp()).getConfiguration();

        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());

        OutputLayer out = (OutputLayer) ((LayerVertex) restored.getVertices().get("out")).getLayerConf().getLayer();
        assertEquals(new NtXentLoss(0.2), out.getLossFn());
        assertEquals(conf, restored);
    }

    @Test
    void survivesJavaSerialisation() throws Exception {
        NtXentLoss loss = new NtXentLoss(0.25);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(loss);
        }
        Object restored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = in.readObject();
        }

        NtXentLoss copy = assertInstanceOf(NtXentLoss.class, restored);
        INDArray pre = gaussian(8, 4, 3);
        assertEquals(loss.computeScore(labels(4), pre, IDENTITY, null, true),
                copy.computeScore(labels(4), pre, IDENTITY, null, true), 0.0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void rejectsOddRowCount(int rows) {
        INDArray pre = Nd4j.rand(DataType.DOUBLE, rows, 4);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NtXentLoss().computeScore(labels(rows), pre, IDENTITY, null, true));

        assertTrue(e.getMessage().contains("even number of rows"), e.getMessage());
        assertTrue(e.getMessage().contains("got " + rows + " rows"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.5, Double.NaN, Double.POSITIVE_INFINITY})
    void rejectsTemperatureThatIsNotPositive(double temperature) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(temperature));

        assertTrue(e.getMessage().contains("temperature must be a finite number > 0, got " + temperature),
                e.getMessage());
    }

    @Test
    void rejectsLabelsWithAnotherRowCount() {
        INDArray pre = Nd4j.rand(DataType.DOUBLE, 4, 3);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NtXentLoss().computeGradient(labels(2), pre, IDENTITY, null));

        assertTrue(e.getMessage().contains("shape [4, 1]"), e.getMessage());
    }

    @Test
    void rejectsLabelMask() {
        INDArray pre = Nd4j.rand(DataType.DOUBLE, 4, 3);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NtXentLoss().computeGradient(labels(4), pre, IDENTITY, Nd4j.ones(DataType.DOUBLE, 4, 1)));

        assertTrue(e.getMessage().contains("does not support a labels mask"), e.getMessage());
    }
}
