package io.pretext.zoo.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.stream.Stream;

import io.pretext.zoo.optim.WarmupSchedule.Decay;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class WarmupScheduleTest {

    @BeforeEach
    void floatPrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    record Case(Decay decay, int step, double expected) {
    }

    /** base 2.0, 10 warm-up steps, decay until step 110 down to 2.0 * 0.1 = 0.2. */
    static Stream<Case> knownSteps() {
        double cosineAtQuarter = 0.2 + 1.8 * 0.5 * (1 + Math.cos(Math.PI / 4));
        return Stream.of(
                new Case(Decay.COSINE, 0, 0.0),
                new Case(Decay.COSINE, 5, 1.0),
                new Case(Decay.COSINE, 10, 2.0),
                new Case(Decay.COSINE, 35, cosineAtQuarter),
                new Case(Decay.COSINE, 60, 1.1),
                new Case(Decay.COSINE, 110, 0.2),
                new Case(Decay.COSINE, 1000, 0.2),
                new Case(Decay.LINEAR, 5, 1.0),
                new Case(Decay.LINEAR, 10, 2.0),
                new Case(Decay.LINEAR, 35, 2.0 - 1.8 * 0.25),
                new Case(Decay.LINEAR, 110, 0.2),
                new Case(Decay.LINEAR, 500, 0.2),
                new Case(Decay.CONSTANT, 0, 0.0),
                new Case(Decay.CONSTANT, 5, 1.0),
                new Case(Decay.CONSTANT, 60, 2.0),
                new Case(Decay.CONSTANT, 5000, 2.0));
    }

    @ParameterizedTest
    @MethodSource("knownSteps")
    void givesKnownValuesAtKnownSteps(Case c) {
        WarmupSchedule schedule = new WarmupSchedule(2.0, 10, 110, 0.1, c.decay());

        assertEquals(c.expected(), schedule.valueAt(c.step(), 0), 1e-12);
    }

    @Test
    void withoutWarmupStartsAtTheBaseValue() {
        WarmupSchedule schedule = new WarmupSchedule(0.3, 0, 100, 0.0, Decay.COSINE);

        assertEquals(0.3, schedule.valueAt(0, 0), 1e-15);
        assertEquals(0.0, schedule.valueAt(100, 0), 1e-15);
    }

    @ParameterizedTest
    @EnumSource(value = Decay.class, names = {"COSINE", "LINEAR"})
    void decayNeverIncreasesAfterWarmup(Decay decay) {
        WarmupSchedule schedule = new WarmupSchedule(1.0, 7, 93, 0.05, decay);

        for (int t = 8; t < 120; t++) {
            assertTrue(schedule.valueAt(t, 0) <= schedule.valueAt(t - 1, 0), "step " + t);
        }
    }

    @Test
    void ignoresTheEpoch() {
        WarmupSchedule schedule = new WarmupSchedule(1.0, 4, 20, 0.0, Decay.COSINE);

        assertEquals(schedule.valueAt(9, 0), schedule.valueAt(9, 3), 0.0);
    }

    @Test
    void rejectsTotalStepsNotAfterWarmup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WarmupSchedule(1.0, 10, 10, 0.0, Decay.COSINE));

        assertTrue(e.getMessage().contains("totalSteps must be > warmupSteps (10)"), e.getMessage());
    }

    @Test
    void rejectsFinalFractionAboveOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WarmupSchedule(1.0, 0, 10, 1.5, Decay.LINEAR));

        assertTrue(e.getMessage().contains("finalFraction must be in [0, 1], got 1.5"), e.getMessage());
    }

    private static ComputationGraph graph(IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .updater(updater)
                .graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build(), "dense")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static DataSet batch() {
        return new DataSet(Nd4j.linspace(-1, 1, 12, DataType.FLOAT).reshape(4, 3),
                Nd4j.linspace(0, 1, 8, DataType.FLOAT).reshape(4, 2));
    }

    @Test
    void roundTripsThroughGraphJson() {
        WarmupSchedule schedule = new WarmupSchedule(1e-3, 5, 50, 0.01, Decay.LINEAR);
        ComputationGraphConfiguration conf = graph(new Adam(schedule)).getConfiguration();

        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());

        Adam adam = (Adam) ((BaseLayer) ((LayerVertex) restored.getVertices().get("dense")).getLayerConf().getLayer())
                .getIUpdater();
        assertEquals(schedule, adam.getLearningRateSchedule());
    }

    @Test
    void modelSerializerRoundTripKeepsTheScheduleAndItsPosition() throws Exception {
        WarmupSchedule schedule = new WarmupSchedule(0.01, 3, 20, 0.1, Decay.COSINE);
        ComputationGraph graph = graph(new Adam(schedule));
        for (int i = 0; i < 5; i++) {
            graph.fit(batch());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, bytes, true);

        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()),
                true);

        assertEquals(graph.getConfiguration(), restored.getConfiguration());
        assertEquals(5, restored.getIterationCount());
        assertEquals(schedule.valueAt(5, 0), restored.getLearningRate("dense"), 1e-12);
        graph.fit(batch());
        restored.fit(batch());
        assertEquals(graph.params(), restored.params());
    }

    @Test
    void firstWarmupStepLeavesParametersUnchanged() {
        ComputationGraph graph = graph(new Sgd(new WarmupSchedule(0.5, 4, 10, 0.0, Decay.COSINE)));
        INDArray initial = graph.params().dup();

        graph.fit(batch());
        INDArray afterFirst = graph.params().dup();
        graph.fit(batch());

        assertEquals(initial, afterFirst);
        assertNotEquals(afterFirst, graph.params());
    }
}
