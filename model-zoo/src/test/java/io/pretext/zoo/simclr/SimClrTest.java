package io.pretext.zoo.simclr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import io.pretext.zoo.encoder.EncoderPreset;
import io.pretext.zoo.loss.NtXentLoss;
import io.pretext.zoo.optim.OptimizerConfig;
import io.pretext.zoo.optim.WarmupSchedule;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class SimClrTest {

    private static final Logger log = LoggerFactory.getLogger(SimClrTest.class);

    /** small-cnn on 1x16x16 images with a small head: quick to train in a test. */
    private static final SimClrConfig SMALL = new SimClrConfig("small-cnn", 1, 16, 16, 32, 16, 0.5, "relu", 7);

    private static final OptimizerConfig ADAM = new OptimizerConfig("adam", 1e-3, 0.9, true, 0.0, 0, 0, 0.0,
            "constant");

    @BeforeEach
    void floatPrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    /**
     * Two noisy views of {@code n} random images, as the data pipeline lays them out: rows
     * {@code 0..n-1} are the first views, rows {@code n..2n-1} the second ones, values in [0, 1].
     */
    private static INDArray twoViews(int n, SimClrConfig model, long seed) {
        Random random = new Random(seed);
        int pixels = model.channels() * model.height() * model.width();
        float[][] rows = new float[2 * n][pixels];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < pixels; p++) {
                float base = random.nextFloat();
                rows[i][p] = clip(base + 0.1f * (float) random.nextGaussian());
                rows[i + n][p] = clip(base + 0.1f * (float) random.nextGaussian());
            }
        }
        return Nd4j.create(rows).castTo(Nd4j.defaultFloatingPointType())
                .reshape(2L * n, model.channels(), model.height(), model.width());
    }

    private static float clip(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    private static DataSet batch(INDArray images) {
        return new DataSet(images, SimClr.labelsFor(images.size(0)));
    }

    @Test
    void fewAdamStepsReduceTheLoss() {
        ComputationGraph graph = SimClr.init(SMALL, ADAM);
        DataSet batch = batch(twoViews(4, SMALL, 1));
        double before = graph.score(batch, true);

        for (int i = 0; i < 10; i++) {
            graph.fit(batch);
        }
        double after = graph.score(batch, true);
        log.info("NT-Xent on a fixed batch of 4 pairs: {} before, {} after 10 Adam steps (ln 7 = {})", before, after,
                Math.log(7));

        assertTrue(after < before - 0.1, "loss " + before + " -> " + after);
    }

    @Test
    void encoderOnlyGivesTheFullGraphsFeatures() {
        ComputationGraph trained = SimClr.init(SMALL, ADAM);
        for (int i = 0; i < 3; i++) {
            trained.fit(batch(twoViews(4, SMALL, i)));
        }
        INDArray images = twoViews(3, SMALL, 99);

        ComputationGraph encoder = SimClr.encoderOnly(trained, SMALL);

        INDArray viaFullGraph = trained.feedForward(images, false).get(SimClr.encoderOutput(SMALL));
        INDArray viaEncoder = SimClr.features(encoder, SMALL, images);
        assertArrayEquals(new long[] {6, SimClr.featureSize(SMALL)}, viaEncoder.shape());
        assertEquals(viaFullGraph, viaEncoder);
        assertEquals(viaFullGraph, SimClr.features(trained, SMALL, images));
        assertEquals(List.of(SimClr.encoderOutput(SMALL)), encoder.getConfiguration().getNetworkOutputs());
        assertTrue(encoder.getConfiguration().getVertices().keySet().stream()
                .noneMatch(v -> v.startsWith("projection")));
    }

    @Test
    void encoderOnlyRejectsAGraphOfAnotherEncoder() {
        ComputationGraph trained = SimClr.init(SMALL, ADAM);
        SimClrConfig other = new SimClrConfig("resnet18-cifar", 1, 16, 16, 32, 16, 0.5, "relu", 7);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimClr.encoderOnly(trained, other));

        assertTrue(e.getMessage().contains("was it built from this model config (encoder resnet18-cifar)?"),
                e.getMessage());
    }

    @Test
    void modelSerializerRoundTripKeepsParamsUpdaterStateAndSchedule() throws Exception {
        OptimizerConfig adamw = new OptimizerConfig("adamw", 2e-3, 0.9, true, 1e-4, 2, 0, 0.1, "cosine")
                .withTotalSteps(20);
        ComputationGraph graph = SimClr.init(SMALL, adamw);
        for (int i = 0; i < 3; i++) {
            graph.fit(batch(twoViews(4, SMALL, i)));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, bytes, true);

        ComputationGraph restored = ModelSerializer.restoreComputationGraph(
                new ByteArrayInputStream(bytes.toByteArray()), true);

        assertEquals(graph.params(), restored.params());
        assertEquals(graph.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(graph.getConfiguration(), restored.getConfiguration());
        OutputLayer projection = (OutputLayer) layer(restored.getConfiguration(), SimClr.PROJECTION);
        assertEquals(new NtXentLoss(0.5), projection.getLossFn());
        assertEquals(adamw.learningRateSchedule(), ((Adam) projection.getIUpdater()).getLearningRateSchedule());
        assertInstanceOf(WarmupSchedule.class, ((Adam) projection.getIUpdater()).getLearningRateSchedule());
        DataSet next = batch(twoViews(4, SMALL, 42));
        graph.fit(next);
        restored.fit(next);
        assertEquals(graph.params(), restored.params());
    }

    private static org.deeplearning4j.nn.conf.layers.Layer layer(ComputationGraphConfiguration conf, String name) {
        return ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
    }

    @Test
    void headAndLossPassGradientCheck() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        SimClrConfig tiny = new SimClrConfig("small-cnn", 1, 8, 8, 8, 4, 0.5, "xavier", 3);
        OptimizerConfig sgd = new OptimizerConfig("sgd", 1.0, 0.0, false, 0.0, 0, 0, 0.0, "constant");
        ComputationGraph graph = SimClr.init(tiny, sgd);
        INDArray images = twoViews(2, tiny, 5);
        // Batch-norm running statistics are not trained by gradients; the two larger convolutions
        // (92k weights) are left out for time: their backward pass is exercised through block1.
        Set<String> excluded = graph.paramTable().keySet().stream()
                .filter(k -> k.endsWith("_mean") || k.endsWith("_var") || k.endsWith("_log10stdev")
                        || k.equals("block2_W") || k.equals("block3_W"))
                .collect(Collectors.toSet());

        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(new INDArray[] {images})
                .labels(new INDArray[] {SimClr.labelsFor(images.size(0))})
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-8)
                .excludeParams(excluded)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));

        assertTrue(passed);
    }

    @Test
    void projectionHeadReadsTheEncoderOutput() {
        SimClrConfig resnet = new SimClrConfig("resnet18-cifar", 3, 32, 32, 512, 128, 0.5, "relu", 1);

        ComputationGraphConfiguration conf = SimClr.configuration(resnet, ADAM);

        assertEquals(List.of(SimClr.encoderOutput(resnet)), conf.getVertexInputs().get(SimClr.PROJECTION_HIDDEN));
        assertEquals(List.of(SimClr.PROJECTION_HIDDEN), conf.getVertexInputs().get(SimClr.PROJECTION));
        assertEquals(List.of(SimClr.PROJECTION), conf.getNetworkOutputs());
        assertEquals(EncoderPreset.RESNET18_CIFAR.featureSize(), SimClr.featureSize(resnet));
    }

    @Test
    void configurationCarriesTheOptimizersWeightDecayOnce() {
        OptimizerConfig adamw = new OptimizerConfig("adamw", 1e-3, 0.9, true, 1e-4, 0, 0, 0.0, "constant");

        ComputationGraphConfiguration conf = SimClr.configuration(SMALL, adamw);

        for (String name : List.of("block1", SimClr.PROJECTION_HIDDEN, SimClr.PROJECTION)) {
            assertEquals(List.of(new WeightDecay(1e-4, true)), ((BaseLayer) layer(conf, name)).getRegularization(),
                    name);
        }
    }

    @Test
    void graphComputesInTheDefaultFloatingPointType() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, SimClr.configuration(SMALL, ADAM).getDataType());
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        assertEquals(DataType.FLOAT, SimClr.configuration(SMALL, ADAM).getDataType());
    }

    @Test
    void labelsForGivesOneZeroRowPerImage() {
        INDArray labels = SimClr.labelsFor(8);

        assertArrayEquals(new long[] {8, 1}, labels.shape());
        assertEquals(0.0, labels.amaxNumber().doubleValue());
    }

    @Test
    void labelsForRejectsAnOddRowCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimClr.labelsFor(7));

        assertTrue(e.getMessage().contains("even number of rows >= 2"), e.getMessage());
    }

    @Test
    void featuresRejectsImagesOfAnotherShape() {
        ComputationGraph graph = SimClr.init(SMALL, ADAM);
        INDArray rgb = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimClr.features(graph, SMALL, rgb));

        assertEquals("images must have shape [N, 1, 16, 16] (model.channels, model.height, model.width), "
                + "got [2, 3, 16, 16]", e.getMessage());
    }
}
