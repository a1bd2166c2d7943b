package io.pretext.zoo.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class MultiHeadSelfAttentionTest {

    private static final int HIDDEN = 6;
    private static final int HEADS = 2;
    private static final int SEQ = 5;
    private static final double EPS = 1e-12;

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** x [B, SEQ, HIDDEN] (padding mask as its features mask) -> {@code blocks} x (attention, feed-forward) -> loss. */
    private static ComputationGraph graph(int blocks, boolean withFeedForward) {
        GraphBuilder g = LayerGraphs.builder(7).graphBuilder().addInputs("x", "positions");
        String previous = "x";
        for (int i = 0; i < blocks; i++) {
            g.addLayer("attention" + i, new MultiHeadSelfAttention(HIDDEN, HEADS, 0, 0, EPS), previous);
            previous = "attention" + i;
            if (withFeedForward) {
                g.addLayer("ffn" + i, new PositionwiseFeedForward(HIDDEN, 8, 0, EPS), previous);
                previous = "ffn" + i;
            }
        }
        LayerGraphs.addSequenceLoss(g, previous, "positions");
        ComputationGraph graph = LayerGraphs.init(g);
        // biases, gains and shifts away from 0 and 1 so that every parameter path carries signal
        long seed = 100;
        for (String key : graph.paramTable().keySet()) {
            if (!key.endsWith("W") && !key.endsWith("Wqkv") && !key.endsWith("Wo")) {
                INDArray p = graph.getParam(key);
                p.addi(LayerGraphs.gaussian(seed++, p.shape()).muli(0.3));
            }
        }
        return graph;
    }

    @Test
    void matchesTheLoopReferenceWithPadding() {
        ComputationGraph graph = graph(1, false);
        INDArray x = LayerGraphs.gaussian(1, 2, SEQ, HIDDEN);
        INDArray mask = LayerGraphs.paddingMask(SEQ, 5, 3);

        INDArray out = graph.output(false, new INDArray[] {x, LayerGraphs.allPositions(2, SEQ)},
                new INDArray[] {mask, null})[0].reshape(2, SEQ, HIDDEN);

        for (int b = 0; b < 2; b++) {
            double[][] expected = Reference.attention(Reference.sequence(x, b),
                    mask.getRow(b).toDoubleVector(), HEADS,
                    graph.getParam("attention0_Wqkv"), graph.getParam("attention0_bqkv"),
                    graph.getParam("attention0_Wo"), graph.getParam("attention0_bo"),
                    graph.getParam("attention0_gamma"), graph.getParam("attention0_beta"), EPS);
            double[][] actual = Reference.sequence(out, b);
            for (int t = 0; t < SEQ; t++) {
                for (int k = 0; k < HIDDEN; k++) {
                    assertEquals(expected[t][k], actual[t][k], 1e-10, "b=" + b + " t=" + t + " k=" + k);
                }
            }
        }
    }

    @Test
    void paddedPositionsDoNotReachTheOthers() {
        ComputationGraph graph = graph(2, true);
        INDArray x = LayerGraphs.gaussian(2, 2, SEQ, HIDDEN);
        INDArray changed = x.dup();
        changed.get(NDArrayIndex.point(0), NDArrayIndex.interval(4, SEQ), NDArrayIndex.all()).assign(7.5);
        changed.get(NDArrayIndex.point(1), NDArrayIndex.interval(2, SEQ), NDArrayIndex.all()).muli(-3);
        INDArray mask = LayerGraphs.paddingMask(SEQ, 4, 2);
        INDArray positions = LayerGraphs.allPositions(2, SEQ);

        INDArray before = graph.output(false, new INDArray[] {x, positions}, new INDArray[] {mask, null})[0]
                .reshape(2, SEQ, HIDDEN);
        INDArray after = graph.output(false, new INDArray[] {changed, positions}, new INDArray[] {mask, null})[0]
                .reshape(2, SEQ, HIDDEN);

        assertEquals(before.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 4), NDArrayIndex.all()),
                after.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 4), NDArrayIndex.all()));
        assertEquals(before.get(NDArrayIndex.point(1), NDArrayIndex.interval(0, 2), NDArrayIndex.all()),
                after.get(NDArrayIndex.point(1), NDArrayIndex.interval(0, 2), NDArrayIndex.all()));
    }

    record Case(String name, int blocks, boolean withFeedForward, int[] lengths) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("attention, batch 1, no padding", 1, false, new int[] {SEQ}),
                new Case("attention, batch 1, padded tail", 1, false, new int[] {2}),
                new Case("attention, batch 3, padded tails incl. 4 of 5 positions", 1, false, new int[] {5, 3, 1}),
                new Case("two stacked blocks, batch 2, padded tail", 2, true, new int[] {5, 2}));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientsMatchNumericalGradients(Case c) {
        ComputationGraph graph = graph(c.blocks(), c.withFeedForward());
        int batch = c.lengths().length;
        INDArray[] inputs = {LayerGraphs.gaussian(3, batch, SEQ, HIDDEN), LayerGraphs.allPositions(batch, SEQ)};
        INDArray[] masks = {LayerGraphs.paddingMask(SEQ, c.lengths()), null};
        INDArray[] labels = {LayerGraphs.gaussian(4, (long) batch * SEQ, HIDDEN)};

        assertTrue(LayerGraphs.gradientsMatch(graph, inputs, masks, labels, null));
    }
}
