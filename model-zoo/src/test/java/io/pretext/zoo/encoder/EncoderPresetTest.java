package io.pretext.zoo.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.pretext.zoo.layers.ConvBatchNorm;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EncoderPresetTest {

    private static final Logger log = LoggerFactory.getLogger(EncoderPresetTest.class);

    /** Built graphs by preset and input size, shared by the tests (resnet50 takes a while to initialise). */
    private static final Map<String, ComputationGraph> GRAPHS = new ConcurrentHashMap<>();

    @BeforeEach
    void floatPrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    private static ComputationGraphConfiguration configuration(EncoderPreset preset, int channels, int size) {
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(7)
                .weightInit(WeightInit.RELU)
                .dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(size, size, channels));
        EncoderOutput out = preset.addTo(graph, "in");
        return graph.setOutputs(out.vertex()).build();
    }

    private static ComputationGraph graph(EncoderPreset preset, int channels, int size) {
        return GRAPHS.computeIfAbsent(preset.key() + "/" + channels + "/" + size, k -> {
            ComputationGraph g = new ComputationGraph(configuration(preset, channels, size));
            g.init();
            return g;
        });
    }

    /** Parameters torchvision counts: everything but batch norm's running mean and variance. */
    private static long trainableParameters(ComputationGraph graph) {
        return graph.paramTable().entrySet().stream()
                .filter(e -> !(e.getKey().endsWith("_mean") || e.getKey().endsWith("_var")
                        || e.getKey().endsWith("_log10stdev")))
                .mapToLong(e -> e.getValue().length())
                .sum();
    }

    /**
     * {@code trainable}: the architecture's known parameter count without its classifier.
     * small-cnn on RGB: 3*3*(3*32 + 32*64 + 64*128) conv weights + 2*(32+64+128) batch-norm = 93,472.
     * resnet18-cifar: torchvision resnet18 (11,689,512) - fc (513,000) - 7x7 stem (9,408) + 3x3 stem (1,728).
     * resnet50: torchvision resnet50 (25,557,032) - fc (2,049,000).
     */
    record Case(EncoderPreset preset, int channels, int size, int batch, long trainable) {
    }

    static Stream<Case> presets() {
        return Stream.of(
                new Case(EncoderPreset.SMALL_CNN, 3, 32, 2, 93_472),
                new Case(EncoderPreset.RESNET18_CIFAR, 3, 32, 2, 11_168_832),
                new Case(EncoderPreset.RESNET50, 3, 64, 2, 23_508_032));
    }

    @ParameterizedTest
    @MethodSource("presets")
    void forwardGivesPooledFeatures(Case c) {
        ComputationGraph graph = graph(c.preset(), c.channels(), c.size());
        INDArray images = Nd4j.rand(DataType.FLOAT, c.batch(), c.channels(), c.size(), c.size());

        INDArray features = graph.outputSingle(false, images);

        assertArrayEquals(new long[] {c.batch(), c.preset().featureSize()}, features.shape());
        assertFalse(features.isNaN().any() || features.isInfinite().any());
    }

    @ParameterizedTest
    @MethodSource("presets")
    void trainableParameterCountMatchesTheArchitecture(Case c) {
        ComputationGraph graph = graph(c.preset(), c.channels(), c.size());

        long trainable = trainableParameters(graph);
        log.info("{}: {} trainable parameters ({} with batch-norm running statistics)", c.preset().key(),
                String.format("%,d", trainable), String.format("%,d", graph.numParams()));

        assertEquals(c.trainable(), trainable);
    }

    @Test
    void resnet18CifarHalvesTheResolutionInStagesTwoToFour() {
        ComputationGraph graph = graph(EncoderPreset.RESNET18_CIFAR, 3, 32);

        Map<String, INDArray> activations = graph.feedForward(Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32), false);

        assertArrayEquals(new long[] {2, 64, 32, 32}, activations.get("stage1-block2-relu").shape());
        assertArrayEquals(new long[] {2, 128, 16, 16}, activations.get("stage2-block2-relu").shape());
        assertArrayEquals(new long[] {2, 256, 8, 8}, activations.get("stage3-block2-relu").shape());
        assertArrayEquals(new long[] {2, 512, 4, 4}, activations.get("stage4-block2-relu").shape());
    }

    @Test
    void resnet50StemAndStagesDivideTheResolutionByThirtyTwo() {
        ComputationGraph graph = graph(EncoderPreset.RESNET50, 3, 64);

        Map<String, INDArray> activations = graph.feedForward(Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64), false);

        assertArrayEquals(new long[] {2, 64, 16, 16}, activations.get("stem-maxpool").shape());
        assertArrayEquals(new long[] {2, 256, 16, 16}, activations.get("stage1-block3-relu").shape());
        assertArrayEquals(new long[] {2, 2048, 2, 2}, activations.get("stage4-block3-relu").shape());
    }

    @Test
    void vertexNamesTellTheTruth() {
        ComputationGraph graph = graph(EncoderPreset.SMALL_CNN, 1, 16);
        INDArray images = Nd4j.rand(DataType.FLOAT, 4, 1, 16, 16);

        Map<String, INDArray> a = graph.feedForward(images, true);

        for (int b = 1; b <= 3; b++) {
            INDArray block = a.get("block" + b);
            assertTrue(block.minNumber().doubleValue() >= 0, "block" + b + " ends in a ReLU");
            assertTrue(block.maxNumber().doubleValue() > 0, "block" + b + " is not all zero");
            // batch norm in training mode: per channel, the pre-ReLU values have mean 0, so about half are cut
            double positive = block.gt(0).castTo(DataType.FLOAT).meanNumber().doubleValue();
            assertTrue(positive > 0.3 && positive < 0.7, "block" + b + " keeps " + positive + " of its values");
        }
        assertArrayEquals(new long[] {4, 32, 8, 8}, a.get("block1-maxpool").shape());
        INDArray window = a.get("block1").get(NDArrayIndex.point(1), NDArrayIndex.point(5),
                NDArrayIndex.interval(2, 4), NDArrayIndex.interval(6, 8));
        assertEquals(window.maxNumber().doubleValue(), a.get("block1-maxpool").getDouble(1, 5, 1, 3), 0.0,
                "maxpool is the max of its 2x2 window");
        INDArray spatialMean = a.get("block3").mean(2, 3);
        assertTrue(spatialMean.equalsWithEps(a.get("avgpool"), 1e-6), "avgpool is the spatial mean");
    }

    @ParameterizedTest
    @EnumSource(EncoderPreset.class)
    void everyConvolutionIsAFusedBiasFreeConvBatchNorm(EncoderPreset preset) {
        ComputationGraphConfiguration conf = configuration(preset, 3, 64);

        List<String> convolutions = conf.getVertices().keySet().stream()
                .filter(name -> layerOf(conf, name) instanceof ConvolutionLayer)
                .toList();
        assertFalse(convolutions.isEmpty());
        for (String name : convolutions) {
            assertInstanceOf(ConvBatchNorm.class, layerOf(conf, name), name);
            assertFalse(((ConvolutionLayer) layerOf(conf, name)).hasBias(), name);
        }
        assertTrue(conf.getVertices().keySet().stream().noneMatch(n -> layerOf(conf, n) instanceof BatchNormalization),
                "no separate batch norm layers");
    }

    private static Layer layerOf(ComputationGraphConfiguration conf, String vertex) {
        return conf.getVertices().get(vertex) instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    @ParameterizedTest
    @EnumSource(EncoderPreset.class)
    void presetIsFoundByItsKey(EncoderPreset preset) {
        assertEquals(preset, EncoderPreset.of(preset.key()));
    }

    @Test
    void unknownPresetIsRejectedListingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncoderPreset.of("resnet34"));

        assertEquals("model.encoder must be one of [small-cnn, resnet18-cifar, resnet50], got \"resnet34\" "
                + "(set it in the model: section)", e.getMessage());
    }

    @Test
    void outputVertexIsTheGlobalAveragePool() {
        ComputationGraphConfiguration conf = configuration(EncoderPreset.SMALL_CNN, 1, 8);

        assertEquals(List.of("avgpool"), conf.getNetworkOutputs());
        assertInstanceOf(GlobalPoolingLayer.class, layerOf(conf, "avgpool"));
    }
}
