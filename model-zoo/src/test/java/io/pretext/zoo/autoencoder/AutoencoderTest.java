package io.pretext.zoo.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.pretext.zoo.optim.OptimizerConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class AutoencoderTest {

    private static final Logger log = LoggerFactory.getLogger(AutoencoderTest.class);

    private static final OptimizerConfig ADAM = new OptimizerConfig("adam", 1e-3, 0.9, true, 0.0, 0, 0, 0.0,
            "constant");

    /** Small members of the family, quick to train in a test. */
    static final AutoencoderConfig DENSE_AE = new AutoencoderConfig("ae", "dense", List.of(1, 28, 28), List.of(64),
            List.of(), 8, "bce", "sigmoid", 1.0, 0, "relu", 7);
    static final AutoencoderConfig DENSE_DAE = DENSE_AE.withKind("dae");
    static final AutoencoderConfig CONV_AE = new AutoencoderConfig("ae", "conv", List.of(1, 28, 28), List.of(),
            List.of(8, 16), 8, "bce", "sigmoid", 1.0, 0, "relu", 7);
    static final AutoencoderConfig DENSE_VAE = new AutoencoderConfig("vae", "dense", List.of(1, 28, 28), List.of(64),
            List.of(), 4, "bce", "sigmoid", 1.0, 0, "relu", 7);
    static final AutoencoderConfig CONV_VAE = new AutoencoderConfig("vae", "conv", List.of(1, 28, 28), List.of(32),
            List.of(8, 16), 4, "bce", "sigmoid", 1.0, 0, "relu", 7);
    static final AutoencoderConfig TABULAR_AE = new AutoencoderConfig("ae", "dense", List.of(12), List.of(8),
            List.of(), 3, "mse", "identity", 1.0, 0, "relu", 7);

    @BeforeEach
    void floatPrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    /** Standardised-looking feature rows with a 3-d structure: 12 columns mixed from 3 factors plus noise. */
    private static INDArray tabular(int n, long seed) {
        Random random = new Random(seed);
        double[][] mixing = new double[3][12];
        Random fixed = new Random(99);
        for (double[] row : mixing) {
            for (int j = 0; j < row.length; j++) {
                row[j] = fixed.nextGaussian();
            }
        }
        double[][] rows = new double[n][12];
        for (double[] row : rows) {
            double[] factors = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            for (int j = 0; j < 12; j++) {
                row[j] = factors[0] * mixing[0][j] + factors[1] * mixing[1][j] + factors[2] * mixing[2][j]
                        + 0.05 * random.nextGaussian();
            }
        }
        return Nd4j.create(rows).castTo(Nd4j.defaultFloatingPointType());
    }

    /** Clean inputs for a config: Fashion-MNIST images, or the tabular rows. */
    private static INDArray cleanBatch(AutoencoderConfig model, int n) {
        return model.isImage() ? FashionSample.images(0, n) : tabular(n, 1);
    }

    /** A copy of {@code clean} with a quarter of its values zeroed (masking noise for the dae). */
    private static INDArray masked(INDArray clean, long seed) {
        Random random = new Random(seed);
        INDArray out = clean.dup();
        INDArray flat = out.reshape(out.length());
        for (long i = 0; i < flat.length(); i++) {
            if (random.nextDouble() < 0.25) {
                flat.putScalar(i, 0.0);
            }
        }
        return out;
    }

    private static MultiDataSet batchFor(AutoencoderConfig model, INDArray clean) {
        INDArray input = model.isDenoising() ? masked(clean, 5) : clean;
        return Autoencoder.trainingBatch(model, input, clean);
    }

    private static ComputationGraph trained(AutoencoderConfig model, MultiDataSet batch, int steps) {
        ComputationGraph graph = Autoencoder.init(model, ADAM);
        Nd4j.getRandom().setSeed(11);
        for (int i = 0; i < steps; i++) {
            graph.fit(batch);
        }
        return graph;
    }

    @ParameterizedTest
    @EnumSource(AutoencoderPreset.class)
    void everyPresetBuildsWithItsShapes(AutoencoderPreset preset) {
        AutoencoderConfig model = preset.config().hasInputShape() ? preset.config()
                : preset.config().withInputShape(List.of(20));
        ComputationGraph graph = Autoencoder.init(model, ADAM);
        INDArray inputs = Nd4j.rand(Nd4j.defaultFloatingPointType(), model.batchShape(2));

        INDArray reconstruction = Autoencoder.reconstruct(graph, model, inputs);
        INDArray code = Autoencoder.encode(graph, model, inputs);
        log.info("preset {}: {} parameters, input {}, code {}", preset.key(), graph.numParams(),
                model.inputShape(), code.shape()[1]);

        assertArrayEquals(inputs.shape(), reconstruction.shape());
        assertArrayEquals(new long[] {2, model.latentSize()}, code.shape());
        assertEquals(Autoencoder.outputs(model), graph.getConfiguration().getNetworkOutputs());
        assertArrayEquals(new long[] {2}, Autoencoder.reconstructionError(graph, model, inputs).shape());
        if (model.outputActivation().equals("sigmoid")) {
            assertTrue(reconstruction.minNumber().doubleValue() >= 0 && reconstruction.maxNumber().doubleValue() <= 1);
        }
    }

    record TrainCase(String name, AutoencoderConfig model) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<TrainCase> trainCases() {
        return Stream.of(new TrainCase("dense ae", DENSE_AE), new TrainCase("dense dae", DENSE_DAE),
                new TrainCase("conv ae", CONV_AE), new TrainCase("dense vae", DENSE_VAE),
                new TrainCase("conv vae", CONV_VAE), new TrainCase("tabular ae", TABULAR_AE));
    }

    @ParameterizedTest
    @MethodSource("trainCases")
    void fewAdamStepsReduceTheLoss(TrainCase c) {
        MultiDataSet batch = batchFor(c.model(), cleanBatch(c.model(), 16));
        ComputationGraph graph = Autoencoder.init(c.model(), ADAM);
        double before = graph.score(batch, false);

        Nd4j.getRandom().setSeed(3);
        for (int i = 0; i < 30; i++) {
            graph.fit(batch);
        }
        double after = graph.score(batch, false);
        log.info("{}: loss on a fixed batch of 16 {} before, {} after 30 Adam steps", c.name(), before, after);

        assertTrue(after < 0.9 * before, "loss " + before + " -> " + after);
    }

    @ParameterizedTest
    @MethodSource("trainCases")
    void encoderOnlyGivesTheBottleneck(TrainCase c) {
        INDArray clean = cleanBatch(c.model(), 8);
        ComputationGraph full = trained(c.model(), batchFor(c.model(), clean), 3);

        ComputationGraph encoder = Autoencoder.encoderOnly(full, c.model());

        String code = Autoencoder.codeVertex(c.model());
        INDArray viaFull = full.feedForward(clean, false).get(code);
        INDArray viaEncoder = Autoencoder.encode(encoder, c.model(), clean);
        assertArrayEquals(new long[] {8, c.model().latentSize()}, viaEncoder.shape());
        assertEquals(viaFull, viaEncoder);
        assertEquals(viaFull, Autoencoder.encode(full, c.model(), clean));
        assertEquals(List.of(code), encoder.getConfiguration().getNetworkOutputs());
        assertTrue(encoder.getConfiguration().getVertices().keySet().stream()
                .noneMatch(v -> v.startsWith("decoder") || v.equals(Autoencoder.LATENT_LOG_VARIANCE)));
    }

    @ParameterizedTest
    @MethodSource("trainCases")
    void decoderOnlyTurnsTheCodeIntoTheReconstruction(TrainCase c) {
        INDArray clean = cleanBatch(c.model(), 6);
        ComputationGraph full = trained(c.model(), batchFor(c.model(), clean), 3);

        ComputationGraph decoder = Autoencoder.decoderOnly(full, c.model());

        INDArray decoded = Autoencoder.decode(decoder, c.model(), Autoencoder.encode(full, c.model(), clean));
        INDArray reconstructed = Autoencoder.reconstruct(full, c.model(), clean);
        assertArrayEquals(clean.shape(), decoded.shape());
        assertTrue(reconstructed.equalsWithEps(decoded, 1e-5), "decode(encode(x)) differs from reconstruct(x)");
    }

    @Test
    void inferenceIsDeterministicWhileTrainingSamplesTheLatent() {
        INDArray x = FashionSample.images(0, 4);
        ComputationGraph graph = Autoencoder.init(DENSE_VAE, ADAM);

        INDArray inference1 = graph.feedForward(x, false).get(Autoencoder.LATENT_SAMPLE);
        INDArray inference2 = graph.feedForward(x, false).get(Autoencoder.LATENT_SAMPLE);
        INDArray training1 = graph.feedForward(x, true).get(Autoencoder.LATENT_SAMPLE);
        INDArray training2 = graph.feedForward(x, true).get(Autoencoder.LATENT_SAMPLE);

        assertEquals(graph.feedForward(x, false).get(Autoencoder.LATENT_MEAN), inference1);
        assertEquals(inference1, inference2);
        assertNotEquals(training1, training2);
        assertNotEquals(inference1, training1);
    }

    @Test
    void sampledLatentHasThePosteriorMoments() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraph graph = Autoencoder.init(DENSE_VAE, ADAM);
        INDArray x = FashionSample.images(3, 1).repeat(0, 20_000);             // one image, many draws
        Nd4j.getRandom().setSeed(17);

        java.util.Map<String, INDArray> acts = graph.feedForward(x, true);

        INDArray mean = acts.get(Autoencoder.LATENT_MEAN).getRow(0);
        INDArray std = org.nd4j.linalg.ops.transforms.Transforms.exp(
                acts.get(Autoencoder.LATENT_LOG_VARIANCE).getRow(0).mul(0.5));
        INDArray z = acts.get(Autoencoder.LATENT_SAMPLE);                        // [20000, L]
        INDArray standardised = z.subRowVector(mean).diviRowVector(std);
        // mean and std of 20,000 standard normal draws: standard errors 0.007 and 0.005
        for (int j = 0; j < DENSE_VAE.latentSize(); j++) {
            INDArray column = standardised.getColumn(j);
            assertEquals(0.0, column.meanNumber().doubleValue(), 0.03, "latent " + j + " mean");
            assertEquals(1.0, column.stdNumber().doubleValue(), 0.03, "latent " + j + " std");
        }
    }

    @Test
    void sameRandomSeedGivesTheSameVaeTrainingStep() {
        MultiDataSet batch = batchFor(DENSE_VAE, FashionSample.images(0, 8));
        ComputationGraph a = Autoencoder.init(DENSE_VAE, ADAM);
        ComputationGraph b = Autoencoder.init(DENSE_VAE, ADAM);
        ComputationGraph c = Autoencoder.init(DENSE_VAE, ADAM);

        Nd4j.getRandom().setSeed(21);
        a.fit(batch);
        Nd4j.getRandom().setSeed(21);
        b.fit(batch);
        Nd4j.getRandom().setSeed(22);
        c.fit(batch);

        assertEquals(a.params(), b.params());
        assertNotEquals(a.params(), c.params());
    }

    @Test
    void reconstructionErrorIsTheMeanSquaredErrorOfTheReconstruction() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        INDArray x = tabular(5, 2);
        ComputationGraph graph = trained(TABULAR_AE, Autoencoder.trainingBatch(TABULAR_AE, x, x), 2);

        INDArray errors = Autoencoder.reconstructionError(graph, TABULAR_AE, x);

        INDArray r = Autoencoder.reconstruct(graph, TABULAR_AE, x);
        for (int i = 0; i < 5; i++) {
            double expected = 0;
            for (int j = 0; j < 12; j++) {
                double d = r.getDouble(i, j) - x.getDouble(i, j);
                expected += d * d / 12;
            }
            assertEquals(expected, errors.getDouble(i), 1e-12, "example " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("imageCases")
    void reconstructionErrorIsTheMeanCrossEntropyOfTheReconstruction(TrainCase c) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        INDArray x = FashionSample.images(10, 3);
        ComputationGraph graph = Autoencoder.init(c.model(), ADAM);

        INDArray errors = Autoencoder.reconstructionError(graph, c.model(), x);

        INDArray p = Autoencoder.reconstruct(graph, c.model(), x);
        for (int i = 0; i < 3; i++) {
            assertEquals(crossEntropySum(x.slice(i), p.slice(i)) / 784, errors.getDouble(i), 1e-9, "example " + i);
        }
    }

    static Stream<TrainCase> imageCases() {
        return Stream.of(new TrainCase("dense ae", DENSE_AE), new TrainCase("conv ae", CONV_AE),
                new TrainCase("dense vae", DENSE_VAE), new TrainCase("conv vae", CONV_VAE));
    }

    static Stream<AutoencoderConfig> vaes() {
        return Stream.of(DENSE_VAE, CONV_VAE);
    }

    private static double crossEntropySum(INDArray x, INDArray p) {
        double[] xs = x.reshape(x.length()).toDoubleVector();
        double[] ps = p.reshape(p.length()).toDoubleVector();
        double sum = 0;
        for (int j = 0; j < xs.length; j++) {
            sum -= xs[j] * Math.log(ps[j]) + (1 - xs[j]) * Math.log(1 - ps[j]);
        }
        return sum;
    }

    @ParameterizedTest
    @MethodSource("vaes")
    void negativeElboIsTheCrossEntropySumPlusTheClosedFormKl(AutoencoderConfig model) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        INDArray x = FashionSample.images(20, 3);
        ComputationGraph graph = Autoencoder.init(model, ADAM);

        INDArray elbo = Autoencoder.negativeElbo(graph, model, x);

        java.util.Map<String, INDArray> acts = graph.feedForward(x, false);
        INDArray mu = acts.get(Autoencoder.LATENT_MEAN);
        INDArray v = acts.get(Autoencoder.LATENT_LOG_VARIANCE);
        INDArray p = acts.get(Autoencoder.RECONSTRUCTION);
        for (int i = 0; i < 3; i++) {
            double kl = 0;
            for (int j = 0; j < model.latentSize(); j++) {
                double m = mu.getDouble(i, j);
                double lv = v.getDouble(i, j);
                kl += 0.5 * (m * m + Math.exp(lv) - 1 - lv);
            }
            assertEquals(crossEntropySum(x.slice(i), p.slice(i)) + kl, elbo.getDouble(i), 1e-8, "example " + i);
        }
    }

    @Test
    void perfectDecoderAtThePriorMakesTheBoundExact() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        AutoencoderConfig model = new AutoencoderConfig("vae", "dense", List.of(6), List.of(), List.of(), 2, "bce",
                "sigmoid", 1.0, 0, "xavier", 3);
        ComputationGraph graph = Autoencoder.init(model, ADAM);
        double[] pattern = {1, 0, 0, 1, 1, 0};
        // q(z|x) = N(0, I) = the prior (KL = 0); the decoder ignores z and puts probability s(+-40) on the pattern
        graph.getParam(Autoencoder.LATENT_MEAN + "_W").assign(0);
        graph.getParam(Autoencoder.LATENT_MEAN + "_b").assign(0);
        graph.getParam(Autoencoder.LATENT_LOG_VARIANCE + "_W").assign(0);
        graph.getParam(Autoencoder.LATENT_LOG_VARIANCE + "_b").assign(0);
        graph.getParam(Autoencoder.DECODER_OUTPUT + "_W").assign(0);
        graph.getParam(Autoencoder.DECODER_OUTPUT + "_b").assign(Nd4j.createFromArray(pattern).mul(80).sub(40)
                .reshape(1, 6));
        INDArray x = Nd4j.create(new double[][] {pattern, {0, 0, 0, 1, 1, 0}, {0, 1, 1, 0, 0, 1}});

        INDArray elbo = Autoencoder.negativeElbo(graph, model, x);

        // -log p(x) of this model is 6 log(1 + e^-40) for the pattern and ~40 per differing bit otherwise;
        // with the posterior equal to the prior the bound has no gap
        // (ND4J's log1p returns 0 for the 4e-18 of a right answer: absolute errors below 1e-15 are left)
        double perBit = Math.log1p(Math.exp(-40));
        assertEquals(6 * perBit, elbo.getDouble(0), 1e-15);
        assertEquals(5 * perBit + 40 + perBit, elbo.getDouble(1), 1e-9);
        assertEquals(6 * (40 + perBit), elbo.getDouble(2), 1e-9);
    }

    @Test
    void negativeElboIsAtLeastTheKlTerm() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        INDArray x = FashionSample.images(30, 4);
        ComputationGraph graph = Autoencoder.init(DENSE_VAE, ADAM);

        INDArray elbo = Autoencoder.negativeElbo(graph, DENSE_VAE, x);
        INDArray kl = graph.output(false, x)[1].reshape(4);

        for (int i = 0; i < 4; i++) {
            assertTrue(kl.getDouble(i) >= 0 && elbo.getDouble(i) > kl.getDouble(i), "example " + i);
        }
    }

    @Test
    void klWeightFollowsTheIterationCount() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        AutoencoderConfig model = new AutoencoderConfig("vae", "dense", List.of(1, 28, 28), List.of(16), List.of(), 3,
                "bce", "sigmoid", 2.0, 500, "relu", 5);
        INDArray x = FashionSample.images(0, 4);
        MultiDataSet batch = Autoencoder.trainingBatch(model, x, x);
        ComputationGraph graph = Autoencoder.init(model, ADAM);
        double meanKl = graph.output(false, x)[1].meanNumber().doubleValue();

        double atZero = trainingScoreAt(graph, batch, 0);
        for (int t : new int[] {100, 250, 500, 2000}) {
            double expectedWeight = model.klWarmup().weightAt(t);
            assertEquals(expectedWeight * meanKl, trainingScoreAt(graph, batch, t) - atZero, 1e-9, "step " + t);
        }
        assertEquals(0.8, model.klWarmup().weightAt(200), 1e-15);
    }

    /** The training-mode score at iteration {@code t} with the same sampling noise every time. */
    private static double trainingScoreAt(ComputationGraph graph, MultiDataSet batch, int t) {
        graph.getConfiguration().setIterationCount(t);
        graph.setInputs(batch.getFeatures());
        graph.setLabels(batch.getLabels());
        Nd4j.getRandom().setSeed(8);
        graph.computeGradientAndScore();
        return graph.score();
    }

    @ParameterizedTest
    @MethodSource("anomalyCases")
    void scoreOfATrainedImageIsBelowTheScoreOfNoise(TrainCase c) {
        INDArray images = FashionSample.images(0, 32);
        ComputationGraph graph = trained(c.model(), batchFor(c.model(), images), 60);
        INDArray noise = Nd4j.rand(Nd4j.defaultFloatingPointType(), 32, 1, 28, 28);

        INDArray trainedScores = Autoencoder.reconstructionError(graph, c.model(), images);
        INDArray noiseScores = Autoencoder.reconstructionError(graph, c.model(), noise);
        log.info("{}: reconstruction error of trained images max {}, of uniform noise min {}", c.name(),
                trainedScores.maxNumber(), noiseScores.minNumber());

        assertTrue(trainedScores.maxNumber().doubleValue() < noiseScores.minNumber().doubleValue());
        if (c.model().isVariational()) {
            INDArray trainedElbo = Autoencoder.negativeElbo(graph, c.model(), images);
            INDArray noiseElbo = Autoencoder.negativeElbo(graph, c.model(), noise);
            assertTrue(trainedElbo.maxNumber().doubleValue() < noiseElbo.minNumber().doubleValue());
        }
    }

    static Stream<TrainCase> anomalyCases() {
        return Stream.of(new TrainCase("dense ae", DENSE_AE), new TrainCase("dense dae", DENSE_DAE),
                new TrainCase("dense vae", DENSE_VAE), new TrainCase("conv vae", CONV_VAE));
    }

    @ParameterizedTest
    @MethodSource("trainCases")
    void modelSerializerRoundTripKeepsOutputsAndTraining(TrainCase c) throws Exception {
        MultiDataSet batch = batchFor(c.model(), cleanBatch(c.model(), 8));
        ComputationGraph graph = trained(c.model(), batch, 3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, bytes, true);

        ComputationGraph restored = ModelSerializer.restoreComputationGraph(
                new ByteArrayInputStream(bytes.toByteArray()), true);

        INDArray x = cleanBatch(c.model(), 8);
        assertEquals(graph.getConfiguration(), restored.getConfiguration());
        assertEquals(graph.params(), restored.params());
        assertEquals(graph.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(Autoencoder.reconstruct(graph, c.model(), x), Autoencoder.reconstruct(restored, c.model(), x));
        assertEquals(Autoencoder.reconstructionError(graph, c.model(), x),
                Autoencoder.reconstructionError(restored, c.model(), x));
        if (c.model().isVariational()) {
            assertEquals(Autoencoder.negativeElbo(graph, c.model(), x),
                    Autoencoder.negativeElbo(restored, c.model(), x));
        }
        Nd4j.getRandom().setSeed(4);
        graph.fit(batch);
        Nd4j.getRandom().setSeed(4);
        restored.fit(batch);
        assertEquals(graph.params(), restored.params());
    }

    @Test
    void trainingBatchOfAVaeAddsTheKlLabels() {
        INDArray x = FashionSample.images(0, 3);

        MultiDataSet batch = Autoencoder.trainingBatch(DENSE_VAE, x, x);

        assertEquals(1, batch.numFeatureArrays());
        assertEquals(2, batch.numLabelsArrays());
        assertSame(x, batch.getFeatures(0));
        assertSame(x, batch.getLabels(0));
        assertArrayEquals(new long[] {3, 1}, batch.getLabels(1).shape());
        assertEquals(0.0, batch.getLabels(1).amaxNumber().doubleValue());
    }

    @Test
    void trainingBatchOfADenoisingAutoencoderPairsCorruptedInputAndCleanTarget() {
        INDArray clean = FashionSample.images(0, 3);
        INDArray corrupted = masked(clean, 1);

        MultiDataSet batch = Autoencoder.trainingBatch(DENSE_DAE, corrupted, clean);

        assertSame(corrupted, batch.getFeatures(0));
        assertSame(clean, batch.getLabels(0));
        assertEquals(1, batch.numLabelsArrays());
    }

    @Test
    void trainingBatchRejectsInputsOfAnotherShape() {
        INDArray flat = Nd4j.rand(DataType.FLOAT, 3, 784);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autoencoder.trainingBatch(DENSE_AE, flat, flat));

        assertEquals("input must have shape [N, 1, 28, 28] (model.inputShape [1, 28, 28]), got [3, 784]",
                e.getMessage());
    }

    @Test
    void encoderOnlyRejectsAGraphOfAnotherConfig() {
        ComputationGraph trained = Autoencoder.init(DENSE_AE, ADAM);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autoencoder.encoderOnly(trained, CONV_AE));

        assertTrue(e.getMessage().contains("was it built from this model config (kind ae, architecture conv"),
                e.getMessage());
    }

    @Test
    void negativeElboRejectsAPlainAutoencoder() {
        ComputationGraph graph = Autoencoder.init(DENSE_AE, ADAM);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autoencoder.negativeElbo(graph, DENSE_AE, FashionSample.images(0, 1)));

        assertTrue(e.getMessage().startsWith("the negative ELBO needs model.kind vae, got ae"), e.getMessage());
    }

    @Test
    void unresolvedInputShapeIsRejectedBeforeBuilding() {
        AutoencoderConfig tabular = AutoencoderPreset.AE_TABULAR.config();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autoencoder.configuration(tabular, ADAM));

        assertTrue(e.getMessage().startsWith("model.inputShape is [] (taken from the data)"), e.getMessage());
    }

    @Test
    void priorSamplesAreStandardNormalAndSeeded() {
        INDArray z = Autoencoder.priorSample(DENSE_VAE, 5000, 9);

        assertArrayEquals(new long[] {5000, DENSE_VAE.latentSize()}, z.shape());
        assertEquals(0.0, z.meanNumber().doubleValue(), 0.03);
        assertEquals(1.0, z.stdNumber().doubleValue(), 0.03);
        assertEquals(z, Autoencoder.priorSample(DENSE_VAE, 5000, 9));
        assertNotEquals(z, Autoencoder.priorSample(DENSE_VAE, 5000, 10));
    }

    @Test
    void decodedPriorSamplesAreImagesInTheUnitInterval() {
        ComputationGraph graph = trained(CONV_VAE, batchFor(CONV_VAE, FashionSample.images(0, 8)), 2);
        ComputationGraph decoder = Autoencoder.decoderOnly(graph, CONV_VAE);

        INDArray samples = Autoencoder.decode(decoder, CONV_VAE, Autoencoder.priorSample(CONV_VAE, 6, 1));

        assertArrayEquals(new long[] {6, 1, 28, 28}, samples.shape());
        assertTrue(samples.minNumber().doubleValue() > 0 && samples.maxNumber().doubleValue() < 1);
        assertFalse(samples.get(NDArrayIndex.point(0)).equals(samples.get(NDArrayIndex.point(1))));
    }
}
