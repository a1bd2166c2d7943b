package io.pretext.zoo.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.zoo.runtime.Nd4jRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

class ConvBatchNormTest {

    private static DataType defaultFloat;

    @BeforeAll
    static void doublePrecision() {
        Nd4jRuntime.configure();
        defaultFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(defaultFloat, defaultFloat);
    }

    record Case(String name, int batch, int stride, ConvolutionMode mode, boolean relu) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
            new Case("batch 1, same, relu", 1, 1, ConvolutionMode.Same, true),
            new Case("batch 3, same, relu", 3, 1, ConvolutionMode.Same, true),
            new Case("batch 4, stride 2, no relu", 4, 2, ConvolutionMode.Same, false),
            new Case("batch 2, truncate, relu", 2, 1, ConvolutionMode.Truncate, true));
    }

    /** input [n, 2, 6, 6] -> ConvBatchNorm(3x3, 3 ch, case) -> ConvBatchNorm(3x3, 2 ch, ReLU) -> avg pool -> MSE. */
    private static ComputationGraph twoLayerGraph(Case c, org.nd4j.linalg.learning.config.IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
            .dataType(DataType.DOUBLE).seed(7).updater(updater).weightInit(WeightInit.XAVIER)
            .graphBuilder()
            .addInputs("in")
            .addLayer("cbn1", new ConvBatchNorm.Builder(3, 3).stride(c.stride(), c.stride()).nOut(3)
                .convolutionMode(c.mode()).relu(c.relu()).build(), "in")
            .addLayer("cbn2", new ConvBatchNorm.Builder(3, 3).nOut(2).convolutionMode(ConvolutionMode.Same).build(), "cbn1")
            .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "cbn2")
            .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                .activation(Activation.IDENTITY).build(), "gap")
            .setOutputs("out")
            .setInputTypes(InputType.convolutional(6, 6, 2))
            .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void passesGradientCheckInDoublePrecision(Case c) {
        ComputationGraph graph = twoLayerGraph(c, new NoOp());
        Nd4j.getRandom().setSeed(11);
        INDArray input = Nd4j.rand(DataType.DOUBLE, c.batch(), 2, 6, 6).subi(0.5);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, c.batch(), 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
            .inputs(new INDArray[] {input}).labels(new INDArray[] {labels})
            .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
            .excludeParams(Set.of("cbn1_mean", "cbn1_var", "cbn2_mean", "cbn2_var")));
        assertTrue(ok, "gradient check failed for " + c);
    }

    @Test
    void floatPathAgreesWithDoublePath() {
        Case c = new Case("batch 8, same, relu", 8, 1, ConvolutionMode.Same, true);
        ComputationGraph inDouble = twoLayerGraph(c, new NoOp());
        ComputationGraph inFloat = new ComputationGraph(ComputationGraphConfiguration.fromJson(
            inDouble.getConfiguration().toJson().replace("\"DOUBLE\"", "\"FLOAT\"")));
        inFloat.init(inDouble.params().castTo(DataType.FLOAT), true);
        Nd4j.getRandom().setSeed(17);
        INDArray input = Nd4j.rand(DataType.DOUBLE, c.batch(), 2, 6, 6).subi(0.5);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, c.batch(), 2);

        inDouble.setInputs(input);
        inDouble.setLabels(labels);
        inDouble.computeGradientAndScore();
        inFloat.setInputs(input.castTo(DataType.FLOAT));
        inFloat.setLabels(labels.castTo(DataType.FLOAT));
        inFloat.computeGradientAndScore();

        assertEquals(DataType.FLOAT, inFloat.params().dataType());
        assertEquals(inDouble.score(), inFloat.score(), 1e-5);
        assertClose(inDouble.getGradientsViewArray(), inFloat.getGradientsViewArray().castTo(DataType.DOUBLE), 1e-5);
    }

    private static ComputationGraph dl4jReference(org.nd4j.linalg.learning.config.IUpdater updater) {
        return dl4jReference(updater, 6, 3);
    }

    private static ComputationGraph fused(org.nd4j.linalg.learning.config.IUpdater updater, ComputationGraph copyFrom) {
        return fused(updater, copyFrom, 6, 3);
    }

    /**
     * The same block written with DL4J's own layers: conv without bias, batch norm, separate ReLU, on input
     * {@code [n, 2, size, size]}.
     */
    private static ComputationGraph dl4jReference(org.nd4j.linalg.learning.config.IUpdater updater, int size,
                                                  int channels) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
            .dataType(DataType.DOUBLE).seed(7).updater(updater).weightInit(WeightInit.XAVIER)
            .graphBuilder()
            .addInputs("in")
            .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(channels).hasBias(false)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), "in")
            .addLayer("bn", new BatchNormalization.Builder().decay(0.9).eps(1e-5).useLogStd(false).build(), "conv")
            .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn")
            .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "relu")
            .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                .activation(Activation.IDENTITY).build(), "gap")
            .setOutputs("out")
            .setInputTypes(InputType.convolutional(size, size, 2))
            .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static ComputationGraph fused(org.nd4j.linalg.learning.config.IUpdater updater, ComputationGraph copyFrom,
                                          int size, int channels) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
            .dataType(DataType.DOUBLE).seed(7).updater(updater).weightInit(WeightInit.XAVIER)
            .graphBuilder()
            .addInputs("in")
            .addLayer("cbn", new ConvBatchNorm.Builder(3, 3).nOut(channels).convolutionMode(ConvolutionMode.Same)
                .decay(0.9).eps(1e-5).relu(true).build(), "in")
            .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "cbn")
            .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                .activation(Activation.IDENTITY).build(), "gap")
            .setOutputs("out")
            .setInputTypes(InputType.convolutional(size, size, 2))
            .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.getLayer("cbn").setParam("W", copyFrom.getLayer("conv").getParam("W"));
        graph.getLayer("cbn").setParam("gamma", copyFrom.getLayer("bn").getParam("gamma").reshape(channels));
        graph.getLayer("cbn").setParam("beta", copyFrom.getLayer("bn").getParam("beta").reshape(channels));
        graph.getLayer("out").setParams(copyFrom.getLayer("out").params());
        return graph;
    }

    @Test
    void matchesDl4jConvBatchNormReluInScoreAndGradients() {
        ComputationGraph reference = dl4jReference(new NoOp());
        ComputationGraph graph = fused(new NoOp(), reference);
        Nd4j.getRandom().setSeed(3);
        DataSet data = new DataSet(Nd4j.rand(DataType.DOUBLE, 4, 2, 6, 6), Nd4j.rand(DataType.DOUBLE, 4, 2));

        reference.setInputs(data.getFeatures());
        reference.setLabels(data.getLabels());
        reference.computeGradientAndScore();
        graph.setInputs(data.getFeatures());
        graph.setLabels(data.getLabels());
        graph.computeGradientAndScore();

        assertEquals(reference.score(), graph.score(), 1e-10);
        // DL4J's Java batch-norm backprop agrees with libnd4j's batchnorm_bp to ~1e-7 (both pass the numerical check)
        Map<String, INDArray> want = reference.gradient().gradientForVariable();
        Map<String, INDArray> got = graph.gradient().gradientForVariable();
        assertClose(want.get("conv_W"), got.get("cbn_W"), 1e-6);
        assertClose(want.get("bn_gamma").reshape(3), got.get("cbn_gamma"), 1e-6);
        assertClose(want.get("bn_beta").reshape(3), got.get("cbn_beta"), 1e-6);
        assertClose(want.get("out_W"), got.get("out_W"), 1e-6);
    }

    /**
     * Activations of 40 x 8 x 16 x 16 values split into two blocks of unequal size (32 and 8 examples), which the
     * kernels run in parallel.
     */
    @Test
    void matchesDl4jOnActivationsThatSplitIntoParallelBlocks() {
        ComputationGraph reference = dl4jReference(new Sgd(0.1), 16, 8);
        ComputationGraph graph = fused(new Sgd(0.1), reference, 16, 8);
        Nd4j.getRandom().setSeed(13);
        DataSet data = new DataSet(Nd4j.rand(DataType.DOUBLE, 40, 2, 16, 16).subi(0.5),
            Nd4j.rand(DataType.DOUBLE, 40, 2));

        reference.setInputs(data.getFeatures());
        reference.setLabels(data.getLabels());
        reference.computeGradientAndScore();
        graph.setInputs(data.getFeatures());
        graph.setLabels(data.getLabels());
        graph.computeGradientAndScore();

        assertEquals(reference.score(), graph.score(), 1e-10);
        Map<String, INDArray> want = reference.gradient().gradientForVariable();
        Map<String, INDArray> got = graph.gradient().gradientForVariable();
        assertClose(want.get("conv_W"), got.get("cbn_W"), 1e-6);
        assertClose(want.get("bn_gamma").reshape(8), got.get("cbn_gamma"), 1e-6);
        assertClose(want.get("bn_beta").reshape(8), got.get("cbn_beta"), 1e-6);

        INDArray conv = reference.feedForward(data.getFeatures(), false).get("conv");
        graph.fit(data);
        assertClose(conv.mean(0, 2, 3).muli(0.1), graph.getLayer("cbn").getParam("mean"));
        assertClose(conv.var(false, 0, 2, 3).muli(0.1).addi(0.9), graph.getLayer("cbn").getParam("var"));
    }

    @Test
    void givesBitIdenticalResultsOnOneThreadAndOnSeveral() throws Exception {
        ComputationGraph graph = fused(new NoOp(), dl4jReference(new NoOp(), 16, 8), 16, 8);
        Nd4j.getRandom().setSeed(19);
        INDArray input = Nd4j.rand(DataType.DOUBLE, 40, 2, 16, 16).subi(0.5);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 40, 2);
        Callable<INDArray[]> step = () -> {
            graph.setInputs(input);
            graph.setLabels(labels);
            graph.computeGradientAndScore();
            return new INDArray[] {graph.getGradientsViewArray().dup(), graph.outputSingle(false, input).dup()};
        };
        INDArray[] one = onThreads(1, step);
        INDArray[] four = onThreads(4, step);
        assertEquals(one[0], four[0], "gradients");
        assertEquals(one[1], four[1], "inference output");
    }

    /** Runs {@code task} in a fork-join pool of {@code threads}, which the kernels' parallel passes then use. */
    private static <T> T onThreads(int threads, Callable<T> task) throws Exception {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(task).get();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void runningStatisticsMoveTowardsTheBatchStatistics() {
        ComputationGraph reference = dl4jReference(new Sgd(0.1));
        ComputationGraph graph = fused(new Sgd(0.1), reference);
        Nd4j.getRandom().setSeed(5);
        DataSet data = new DataSet(Nd4j.rand(DataType.DOUBLE, 4, 2, 6, 6), Nd4j.rand(DataType.DOUBLE, 4, 2));
        INDArray conv = reference.feedForward(data.getFeatures(), false).get("conv");   // [4, 3, 6, 6]
        INDArray batchMean = conv.mean(0, 2, 3);
        INDArray batchVar = conv.var(false, 0, 2, 3);

        graph.fit(data);

        // initial running mean 0 and variance 1, decay 0.9
        assertClose(batchMean.mul(0.1), graph.getLayer("cbn").getParam("mean"));
        assertClose(batchVar.mul(0.1).addi(0.9), graph.getLayer("cbn").getParam("var"));
    }

    @Test
    void inferenceNormalizesWithTheRunningStatistics() {
        ComputationGraph reference = dl4jReference(new NoOp());
        ComputationGraph graph = fused(new NoOp(), reference);
        INDArray mean = Nd4j.createFromArray(0.1, -0.2, 0.3);
        INDArray var = Nd4j.createFromArray(0.5, 2.0, 1.5);
        INDArray gamma = Nd4j.createFromArray(1.5, 0.5, -1.0);
        INDArray beta = Nd4j.createFromArray(0.2, 0.0, 0.1);
        graph.getLayer("cbn").setParam("mean", mean);
        graph.getLayer("cbn").setParam("var", var);
        graph.getLayer("cbn").setParam("gamma", gamma);
        graph.getLayer("cbn").setParam("beta", beta);
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 6, 6);

        INDArray conv = reference.feedForward(x, false).get("conv");                  // same W: [2, 3, 6, 6]
        INDArray scale = gamma.div(Transforms.sqrt(var.add(1e-5)));
        INDArray expected = conv.subi(mean.reshape(1, 3, 1, 1)).muli(scale.reshape(1, 3, 1, 1))
            .addi(beta.reshape(1, 3, 1, 1));
        expected = Transforms.relu(expected);

        assertClose(expected, graph.feedForward(x, false).get("cbn"));
    }

    @Test
    void roundTripsThroughModelSerializer() throws IOException {
        ComputationGraph graph = twoLayerGraph(cases().findFirst().orElseThrow(), new Sgd(0.1));
        Nd4j.getRandom().setSeed(13);
        DataSet data = new DataSet(Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 6), Nd4j.rand(DataType.DOUBLE, 3, 2));
        graph.fit(data);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, bytes, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);

        assertEquals(graph.getConfiguration(), restored.getConfiguration());
        assertEquals(graph.params(), restored.params());
        assertEquals(graph.outputSingle(data.getFeatures()), restored.outputSingle(data.getFeatures()));
        assertTrue(restored.getLayer("cbn1").conf().getLayer() instanceof ConvBatchNorm);
    }

    @Test
    void cloneKeepsParametersAndOutputs() {
        ComputationGraph graph = twoLayerGraph(cases().findFirst().orElseThrow(), new Sgd(0.1));
        Nd4j.getRandom().setSeed(19);
        DataSet data = new DataSet(Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 6), Nd4j.rand(DataType.DOUBLE, 3, 2));
        graph.fit(data);

        ComputationGraph copy = graph.clone();

        assertEquals(graph.params(), copy.params());
        assertEquals(graph.outputSingle(data.getFeatures()), copy.outputSingle(data.getFeatures()));
    }

    @Test
    void configurationRoundTripsThroughJson() {
        ComputationGraphConfiguration conf = twoLayerGraph(cases().findFirst().orElseThrow(), new Sgd(0.1)).getConfiguration();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
    }

    @Test
    void rejectsConvolutionBias() {
        ConvBatchNorm.Builder builder = new ConvBatchNorm.Builder(3, 3);
        assertThrows(IllegalArgumentException.class, () -> builder.hasBias(true));
    }

    @Test
    void rejectsNonPositiveEps() {
        ConvBatchNorm.Builder builder = new ConvBatchNorm.Builder(3, 3);
        assertThrows(IllegalArgumentException.class, () -> builder.eps(0));
    }

    @Test
    void rejectsDecayOutsideUnitInterval() {
        ConvBatchNorm.Builder builder = new ConvBatchNorm.Builder(3, 3);
        assertThrows(IllegalArgumentException.class, () -> builder.decay(1.0));
    }

    @Test
    void rejectsDropout() {
        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder()
            .dataType(DataType.DOUBLE).dropOut(0.5)
            .graphBuilder()
            .addInputs("in")
            .addLayer("cbn", new ConvBatchNorm.Builder(3, 3).nOut(2).convolutionMode(ConvolutionMode.Same).build(), "in")
            .setOutputs("cbn")
            .setInputTypes(InputType.convolutional(4, 4, 1));
        ComputationGraph graph = new ComputationGraph(builder.build());
        assertThrows(IllegalArgumentException.class, graph::init);
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertClose(expected, actual, 1e-8);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()));
        double maxDiff = Transforms.abs(expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
        assertTrue(maxDiff < tolerance, "max abs difference " + maxDiff + "\nexpected " + expected + "\nactual " + actual);
    }
}
