package io.pretext.zoo.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SequenceEmbeddingTest {

    private static final int VOCAB = 7;
    private static final int SIZE = 3;
    private static final int MAX_POSITIONS = 6;

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static ComputationGraph graph(long maxPositions) {
        GraphBuilder g = LayerGraphs.builder(3).graphBuilder()
                .addInputs("ids", "positions")
                .addLayer("embedding", new SequenceEmbedding(VOCAB, SIZE, maxPositions), "ids");
        LayerGraphs.addSequenceLoss(g, "embedding", "positions");
        return LayerGraphs.init(g);
    }

    @Test
    void outputIsTheTokenRowPlusThePositionRow() {
        ComputationGraph graph = graph(MAX_POSITIONS);
        INDArray ids = Nd4j.createFromArray(new double[][] {{3, 3, 0, 6}, {6, 1, 3, 3}});

        INDArray out = graph.feedForward(new INDArray[] {ids, LayerGraphs.allPositions(2, 4)}, false)
                .get("embedding");

        INDArray w = graph.getParam("embedding_" + SequenceEmbedding.WEIGHT_KEY);
        INDArray p = graph.getParam("embedding_" + SequenceEmbedding.POSITIONS_KEY);
        assertArrayEquals(new long[] {2, 4, SIZE}, out.shape());
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 4; t++) {
                for (int k = 0; k < SIZE; k++) {
                    assertEquals(w.getDouble(ids.getInt(b, t), k) + p.getDouble(t, k), out.getDouble(b, t, k), 1e-12);
                }
            }
        }
    }

    record Case(String name, double[][] ids, long maxPositions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("batch 1, repeated ids, positions", new double[][] {{2, 5, 2, 2, 0}}, MAX_POSITIONS),
                new Case("batch 2, repeated ids, positions", new double[][] {{2, 5, 2, 2}, {5, 6, 6, 2}},
                        MAX_POSITIONS),
                new Case("batch 2, repeated ids, no positions", new double[][] {{4, 4, 4}, {1, 4, 1}}, 0));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientsMatchNumericalGradients(Case c) {
        ComputationGraph graph = graph(c.maxPositions());
        int batch = c.ids().length;
        int seq = c.ids()[0].length;
        INDArray[] inputs = {Nd4j.createFromArray(c.ids()), LayerGraphs.allPositions(batch, seq)};
        INDArray[] labels = {LayerGraphs.gaussian(11, (long) batch * seq, SIZE)};

        assertTrue(LayerGraphs.gradientsMatch(graph, inputs, null, labels, null));
    }

    @Test
    void rejectsAnIdOutsideTheVocabulary() {
        ComputationGraph graph = graph(MAX_POSITIONS);
        INDArray ids = Nd4j.createFromArray(new double[][] {{1, VOCAB}});

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> graph.output(ids, LayerGraphs.allPositions(1, 2)));

        assertTrue(e.getMessage().contains("id 7 is outside the vocabulary [0, 7)"), e.getMessage());
    }

    @Test
    void rejectsASequenceLongerThanThePositionTable() {
        ComputationGraph graph = graph(MAX_POSITIONS);
        INDArray ids = Nd4j.zeros(DataType.DOUBLE, 1, MAX_POSITIONS + 1);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> graph.output(ids, LayerGraphs.allPositions(1, MAX_POSITIONS + 1)));

        assertTrue(e.getMessage().contains("sequence length 7 exceeds the 6 positions"), e.getMessage());
    }

    @Test
    void recurrentInputTypeOfSizeOneKeepsTheVocabularySize() {
        GraphBuilder g = LayerGraphs.builder(3).graphBuilder()
                .addInputs("ids")
                .setInputTypes(InputType.recurrent(1, 5))
                .addLayer("embedding", new SequenceEmbedding(VOCAB, SIZE, MAX_POSITIONS), "ids")
                .setOutputs("embedding");

        ComputationGraph graph = LayerGraphs.init(g);

        assertEquals(VOCAB, ((SequenceEmbedding) graph.getLayer("embedding").conf().getLayer()).getVocabSize());
        assertEquals((long) (VOCAB + MAX_POSITIONS) * SIZE, graph.numParams());
    }
}
