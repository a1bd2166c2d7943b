package io.pretext.zoo.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import io.pretext.zoo.optim.OptimizerConfig;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Numerical gradient checks of whole autoencoder graphs in double precision, covering the custom
 * {@link GaussianSample} and {@link KlDivergence} layers and the reconstruction loss inside them.
 *
 * <p>The sampling noise is held fixed by resetting ND4J's random generator to the same seed before
 * every forward pass ({@code callEachIter}), so that the analytic gradient and every finite
 * difference see the same draw {@code e}; the graph runs in training mode throughout, so the noise is
 * really drawn and the path {@code dL/dv = dL/dz * exp(v/2) * e / 2} is checked.
 */
class AutoencoderGradientTest {

    private static final OptimizerConfig SGD = new OptimizerConfig("sgd", 1.0, 0.0, false, 0.0, 0, 0, 0.0,
            "constant");
    private static final long NOISE_SEED = 12345;

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void floatPrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    record Case(String name, AutoencoderConfig model, int batch, int iteration) {
        @Override
        public String toString() {
            return name + ", batch " + batch;
        }
    }

    private static AutoencoderConfig config(String kind, String architecture, List<Integer> inputShape,
            List<Integer> hidden, List<Integer> conv, String loss, String activation, double beta, long warmup) {
        return new AutoencoderConfig(kind, architecture, inputShape, hidden, conv, 2, loss, activation, beta, warmup,
                "xavier", 3);
    }

    static Stream<Case> cases() {
        AutoencoderConfig denseVae = config("vae", "dense", List.of(1, 4, 4), List.of(5), List.of(), "bce", "sigmoid",
                1.0, 0);
        AutoencoderConfig convVae = config("vae", "conv", List.of(1, 4, 4), List.of(3), List.of(2), "bce", "sigmoid",
                1.0, 0);
        AutoencoderConfig warmingVae = config("vae", "dense", List.of(1, 4, 4), List.of(5), List.of(), "bce", "sigmoid",
                2.0, 8);
        AutoencoderConfig featureVae = config("vae", "dense", List.of(5), List.of(4), List.of(), "mse", "identity",
                0.5, 0);
        AutoencoderConfig convAe = config("ae", "conv", List.of(2, 4, 4), List.of(), List.of(3), "bce", "sigmoid",
                1.0, 0);
        AutoencoderConfig featureAe = config("ae", "dense", List.of(6), List.of(4), List.of(), "mse", "identity", 1.0,
                0);
        return Stream.of(
                new Case("dense vae", denseVae, 1, 0),
                new Case("dense vae", denseVae, 3, 0),
                new Case("conv vae", convVae, 1, 0),
                new Case("conv vae", convVae, 3, 0),
                new Case("vae at step 3 of an 8-step KL warm-up to beta 2", warmingVae, 3, 3),
                new Case("vae of features, mse, beta 0.5", featureVae, 2, 0),
                new Case("conv ae", convAe, 2, 0),
                new Case("dense ae of features, mse", featureAe, 2, 0));
    }

    private static MultiDataSet batch(AutoencoderConfig model, int n) {
        Nd4j.getRandom().setSeed(n);
        INDArray x = model.reconstructionLoss().equals("bce")
                ? Nd4j.rand(DataType.DOUBLE, model.batchShape(n))
                : Nd4j.randn(DataType.DOUBLE, model.batchShape(n));
        return Autoencoder.trainingBatch(model, x, x);
    }

    private static GradientCheckUtil.GraphConfig check(ComputationGraph graph, MultiDataSet data) {
        return new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(data.getFeatures())
                .labels(data.getLabels())
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-8);
    }

    /**
     * The graph with small random biases. The hidden layers use ReLU, whose kink at 0 breaks finite
     * differences; biases start at 0, so a unit whose inputs are all zero (dead ReLUs below it) would sit
     * exactly on the kink.
     */
    private static ComputationGraph graphOffTheKinks(AutoencoderConfig model) {
        ComputationGraph graph = Autoencoder.init(model, SGD);
        Nd4j.getRandom().setSeed(77);
        graph.paramTable().forEach((name, values) -> {
            if (name.endsWith("_b")) {
                values.assign(Nd4j.randn(values.dataType(), values.shape()).muli(0.1));
            }
        });
        return graph;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void wholeGraphPassesGradientCheckWithFixedNoise(Case c) {
        ComputationGraph graph = graphOffTheKinks(c.model());
        graph.getConfiguration().setIterationCount(c.iteration());

        boolean passed = GradientCheckUtil.checkGradients(check(graph, batch(c.model(), c.batch()))
                .callEachIter(g -> Nd4j.getRandom().setSeed(NOISE_SEED))
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));

        assertTrue(passed);
    }

    @Test
    void gradientCheckFailsWhenTheNoiseIsRedrawnForEveryPass() {
        AutoencoderConfig model = config("vae", "dense", List.of(1, 4, 4), List.of(5), List.of(), "bce", "sigmoid",
                1.0, 0);
        ComputationGraph graph = graphOffTheKinks(model);

        boolean passed = GradientCheckUtil.checkGradients(check(graph, batch(model, 3))
                .exitOnFirstError(true)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));

        assertFalse(passed, "the sampling layer must draw new noise in every training-mode pass");
    }

    @Test
    void customLayersRoundTripThroughGraphJson() {
        AutoencoderConfig model = config("vae", "conv", List.of(1, 4, 4), List.of(3), List.of(2), "bce", "sigmoid",
                2.5, 700);
        ComputationGraphConfiguration conf = Autoencoder.configuration(model, SGD);

        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());

        assertEquals(conf, restored);
        KlDivergence kl = assertInstanceOf(KlDivergence.class, layer(restored, Autoencoder.KL));
        assertEquals(new KlWarmup(2.5, 700), kl.warmup());
        assertInstanceOf(GaussianSample.class, layer(restored, Autoencoder.LATENT_SAMPLE));
    }

    private static org.deeplearning4j.nn.conf.layers.Layer layer(ComputationGraphConfiguration conf, String name) {
        return ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
    }
}
