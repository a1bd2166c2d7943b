package io.pretext.zoo.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class OptimizerConfigTest {

    private static OptimizerConfig config(String type, double momentum, boolean nesterov, double weightDecay,
            long warmupSteps, long totalSteps, String schedule) {
        return new OptimizerConfig(type, 0.1, momentum, nesterov, weightDecay, warmupSteps, totalSteps, 0.0, schedule);
    }

    @Test
    void defaultsAreAdamWithCosineDecayLeftToTheTrainer() {
        OptimizerConfig defaults = OptimizerConfig.defaults();

        assertEquals("adam", defaults.type());
        assertEquals(1e-3, defaults.learningRate());
        assertEquals("cosine", defaults.schedule());
        assertEquals(0, defaults.totalSteps());
    }

    @Test
    void withTotalStepsKeepsEverythingElse() {
        OptimizerConfig base = config("sgd", 0.9, true, 1e-4, 5, 0, "linear");

        OptimizerConfig set = base.withTotalSteps(500);

        assertEquals(new OptimizerConfig("sgd", 0.1, 0.9, true, 1e-4, 5, 500, 0.0, "linear"), set);
    }

    record UpdaterCase(OptimizerConfig config, Class<? extends IUpdater> type) {
    }

    static Stream<UpdaterCase> updaters() {
        return Stream.of(
                new UpdaterCase(config("sgd", 0.0, false, 0, 0, 0, "constant"), Sgd.class),
                new UpdaterCase(config("sgd", 0.9, true, 0, 0, 0, "constant"), Nesterovs.class),
                new UpdaterCase(config("adam", 0.9, true, 0, 0, 0, "constant"), Adam.class),
                new UpdaterCase(config("adamw", 0.9, true, 0.05, 0, 0, "constant"), Adam.class));
    }

    @ParameterizedTest
    @MethodSource("updaters")
    void typeSelectsTheDl4jUpdater(UpdaterCase c) {
        IUpdater updater = c.config().updater();

        assertInstanceOf(c.type(), updater);
        assertEquals(0.1, updater.getLearningRate(0, 0), 1e-15);
    }

    @Test
    void sgdMomentumIsPassedToNesterovs() {
        Nesterovs nesterovs = (Nesterovs) config("sgd", 0.8, true, 0, 0, 0, "constant").updater();

        assertEquals(0.8, nesterovs.getMomentum());
    }

    @Test
    void scheduledUpdaterFollowsTheWarmupSchedule() {
        OptimizerConfig cfg = config("adam", 0.9, true, 0, 10, 100, "cosine");

        IUpdater updater = cfg.updater();

        assertEquals(new WarmupSchedule(0.1, 10, 100, 0.0, WarmupSchedule.Decay.COSINE),
                ((Adam) updater).getLearningRateSchedule());
        assertEquals(0.05, updater.getLearningRate(5, 0), 1e-15);
        assertEquals(cfg.learningRateAt(55), updater.getLearningRate(55, 0), 1e-15);
    }

    @Test
    void constantScheduleWithoutWarmupUsesAFixedLearningRate() {
        OptimizerConfig cfg = config("adam", 0.9, true, 0, 0, 0, "constant");

        assertNull(cfg.learningRateSchedule());
        assertEquals(0.1, cfg.learningRateAt(12345), 0.0);
    }

    @Test
    void constantScheduleWithWarmupNeedsNoTotalSteps() {
        OptimizerConfig cfg = config("adam", 0.9, true, 0, 4, 0, "constant");

        assertEquals(0.025, cfg.updater().getLearningRate(1, 0), 1e-15);
    }

    @Test
    void decayingScheduleBeforeTotalStepsIsAnError() {
        OptimizerConfig cfg = OptimizerConfig.defaults();

        IllegalStateException e = assertThrows(IllegalStateException.class, cfg::updater);

        assertTrue(e.getMessage().contains("withTotalSteps"), e.getMessage());
    }

    private static Layer layer(ComputationGraphConfiguration conf, String name) {
        return ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
    }

    private static ComputationGraphConfiguration graph(OptimizerConfig cfg) {
        return cfg.applyWeightDecay(cfg.applyUpdater(new NeuralNetConfiguration.Builder())
                .seed(5)
                .dataType(DataType.DOUBLE)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(3))
                .addLayer("dense", new DenseLayer.Builder().nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).build(), "bn")
                .setOutputs("out")
                .build());
    }

    @Test
    void weightDecayIsDecoupledAndScaledByTheLearningRateOnWeights() {
        ComputationGraphConfiguration conf = graph(config("adamw", 0.9, true, 0.05, 0, 0, "constant"));

        for (String name : List.of("dense", "out")) {
            List<Regularization> weights = ((BaseLayer) layer(conf, name)).getRegularization();
            assertEquals(List.of(new WeightDecay(0.05, true)), weights, name);
        }
    }

    @Test
    void sgdStepWithWeightDecayShrinksWeightsByLearningRateTimesDecay() {
        ComputationGraph plain = new ComputationGraph(graph(config("sgd", 0.0, false, 0.0, 0, 0, "constant")));
        plain.init();
        ComputationGraph decayed = new ComputationGraph(graph(config("sgd", 0.0, false, 0.05, 0, 0, "constant")));
        decayed.init();
        INDArray initialWeights = decayed.getParam("dense_W").dup();
        DataSet batch = new DataSet(Nd4j.linspace(-1, 1, 12, DataType.DOUBLE).reshape(4, 3),
                Nd4j.linspace(0, 1, 8, DataType.DOUBLE).reshape(4, 2));

        plain.fit(batch);
        decayed.fit(batch);

        INDArray shrink = plain.getParam("dense_W").sub(decayed.getParam("dense_W"));
        assertTrue(shrink.equalsWithEps(initialWeights.mul(0.1 * 0.05), 1e-12), shrink + " vs " + initialWeights);
        assertEquals(plain.getParam("dense_b"), decayed.getParam("dense_b"));
        assertEquals(plain.getParam("bn_gamma"), decayed.getParam("bn_gamma"));
    }

    @Test
    void weightDecaySparesBiasesAndBatchNorm() {
        ComputationGraphConfiguration conf = graph(config("sgd", 0.9, true, 0.05, 0, 0, "constant"));

        assertTrue(((BaseLayer) layer(conf, "dense")).getRegularizationBias().isEmpty());
        for (String param : List.of("gamma", "beta")) {
            List<Regularization> bn = layer(conf, "bn").getRegularizationByParam(param);
            assertTrue(bn == null || bn.isEmpty(), param);
        }
        for (String param : List.of("b", "W")) {
            assertEquals(param.equals("W") ? List.of(new WeightDecay(0.05, true)) : List.of(),
                    layer(conf, "dense").getRegularizationByParam(param), param);
        }
    }

    @Test
    void noWeightDecayWhenZero() {
        ComputationGraphConfiguration conf = graph(config("adamw", 0.9, true, 0.0, 0, 0, "constant"));

        assertTrue(((BaseLayer) layer(conf, "dense")).getRegularization().isEmpty());
    }

    @FunctionalInterface
    interface Make {
        OptimizerConfig make();
    }

    record Rejection(String name, Make make, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rejection> rejections() {
        return Stream.of(
                new Rejection("unknown type", () -> config("lars", 0, false, 0, 0, 0, "constant"),
                        "optimizer.type must be one of [sgd, adam, adamw], got \"lars\""),
                new Rejection("unknown schedule", () -> config("adam", 0, false, 0, 0, 0, "step"),
                        "optimizer.schedule must be one of [cosine, linear, constant], got \"step\""),
                new Rejection("non-positive learning rate",
                        () -> new OptimizerConfig("adam", -1e-3, 0, false, 0, 0, 0, 0, "constant"),
                        "optimizer.learningRate must be a finite number > 0, got -0.001"),
                new Rejection("momentum of one", () -> config("sgd", 1.0, true, 0, 0, 0, "constant"),
                        "optimizer.momentum must be in [0, 1), got 1.0"),
                new Rejection("heavy-ball momentum", () -> config("sgd", 0.9, false, 0, 0, 0, "constant"),
                        "optimizer.nesterov must be true"),
                new Rejection("adam with weight decay", () -> config("adam", 0.9, true, 0.01, 0, 0, "constant"),
                        "use type: adamw"),
                new Rejection("negative weight decay", () -> config("adamw", 0.9, true, -0.01, 0, 0, "constant"),
                        "optimizer.weightDecay must be a finite number >= 0, got -0.01"),
                new Rejection("negative warmup", () -> config("adam", 0.9, true, 0, -1, 0, "constant"),
                        "optimizer.warmupSteps must be >= 0, got -1"),
                new Rejection("total steps within warmup", () -> config("adam", 0.9, true, 0, 100, 50, "cosine"),
                        "optimizer.totalSteps must be > optimizer.warmupSteps (100) for a cosine schedule, got 50"),
                new Rejection("final fraction above one",
                        () -> new OptimizerConfig("adam", 0.1, 0, false, 0, 0, 0, 1.5, "cosine"),
                        "optimizer.finalLearningRateFraction must be in [0, 1], got 1.5"),
                new Rejection("zero total steps from the trainer", () -> OptimizerConfig.defaults().withTotalSteps(0),
                        "optimizer.totalSteps must be > 0, got 0"));
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void rejectsInvalidSettingsNamingKeyAndValue(Rejection r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r.make()::make);

        assertTrue(e.getMessage().contains(r.message()), e.getMessage());
    }
}
