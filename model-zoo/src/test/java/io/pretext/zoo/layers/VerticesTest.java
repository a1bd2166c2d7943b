package io.pretext.zoo.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@link SumVertex}, {@link PositionGatherVertex} and {@link SelectTokenVertex}. */
class VerticesTest {

    private static final int VOCAB = 9;
    private static final int SIZE = 4;

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /**
     * ids, segments -> two embeddings -> sum -> attention (uses the sum's mask) -> gathered positions and the
     * first token, each through a small softmax classifier. The gathered rows' loss is a SparseSoftmaxOutput:
     * DL4J divides every gradient by the minibatch of the first labels array, which a DL4J output layer on
     * [batch * p] rows would not match.
     */
    private static ComputationGraph graph() {
        GraphBuilder g = LayerGraphs.builder(13).graphBuilder()
                .addInputs("ids", "segments", "positions")
                .addLayer("tokens", new SequenceEmbedding(VOCAB, SIZE, 6), "ids")
                .addLayer("segment", new SequenceEmbedding(2, SIZE, 0), "segments")
                .addVertex("sum", new SumVertex(), "tokens", "segment")
                .addLayer("attention", new MultiHeadSelfAttention(SIZE, 2, 0, 0, 1e-12), "sum")
                .addVertex("gather", new PositionGatherVertex(), "attention", "positions")
                .addLayer("gathered-logits", new DenseLayer.Builder().nIn(SIZE).nOut(3).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "gather")
                .addLayer("gathered-out", new SparseSoftmaxOutput(3), "gathered-logits")
                .addVertex("first", new SelectTokenVertex(0), "attention")
                .addLayer("first-dense", new DenseLayer.Builder().nIn(SIZE).nOut(SIZE).activation(Activation.TANH)
                        .build(), "first")
                .addLayer("first-out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(SIZE).nOut(2).activation(Activation.SOFTMAX).build(), "first-dense")
                .setOutputs("gathered-out", "first-out");
        return LayerGraphs.init(g);
    }

    private static INDArray oneHot(long seed, int rows, int classes) {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, rows, classes);
        java.util.Random random = new java.util.Random(seed);
        for (int r = 0; r < rows; r++) {
            labels.putScalar(r, random.nextInt(classes), 1.0);
        }
        return labels;
    }

    @Test
    void gatherTakesTheGivenPositionsExampleMajor() {
        ComputationGraph graph = graph();
        INDArray ids = Nd4j.createFromArray(new double[][] {{1, 2, 3, 4}, {5, 6, 7, 8}});
        INDArray positions = Nd4j.createFromArray(new double[][] {{3, 0, 3}, {1, 2, 1}});

        Map<String, INDArray> acts = graph.feedForward(new INDArray[] {ids, Nd4j.zeros(2, 4), positions}, false);

        INDArray attention = acts.get("attention");
        INDArray gathered = acts.get("gather");
        assertArrayEquals(new long[] {6, SIZE}, gathered.shape());
        int[][] expected = {{0, 3}, {0, 0}, {0, 3}, {1, 1}, {1, 2}, {1, 1}};
        for (int r = 0; r < 6; r++) {
            assertEquals(attention.get(NDArrayIndex.point(expected[r][0]), NDArrayIndex.point(expected[r][1]),
                    NDArrayIndex.all()), gathered.getRow(r));
        }
        assertEquals(attention.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()), acts.get("first"));
        assertEquals(acts.get("tokens").add(acts.get("segment")), acts.get("sum"));
    }

    @Test
    void sumPassesTheFirstInputsMaskOnly() {
        ComputationGraph graph = graph();
        INDArray ids = Nd4j.createFromArray(new double[][] {{1, 2, 3, 4}});
        INDArray changed = Nd4j.createFromArray(new double[][] {{1, 2, 8, 8}});
        INDArray positions = Nd4j.createFromArray(new double[][] {{0, 1}});
        INDArray[] masks = {LayerGraphs.paddingMask(4, 2), null, null};

        INDArray before = graph.output(false, new INDArray[] {ids, Nd4j.zeros(1, 4), positions}, masks)[0];
        INDArray after = graph.output(false, new INDArray[] {changed, Nd4j.zeros(1, 4), positions}, masks)[0];

        assertEquals(before, after);
    }

    @Test
    void gradientsMatchWithRepeatedPositionsAndPadding() {
        ComputationGraph graph = graph();
        INDArray[] inputs = {
                Nd4j.createFromArray(new double[][] {{1, 2, 2, 4, 0}, {5, 6, 7, 7, 7}}),
                Nd4j.createFromArray(new double[][] {{0, 0, 1, 1, 0}, {0, 1, 1, 0, 0}}),
                Nd4j.createFromArray(new double[][] {{1, 1, 3}, {4, 0, 4}})};
        INDArray[] masks = {LayerGraphs.paddingMask(5, 4, 5), null, null};
        INDArray[] labels = {Nd4j.createFromArray(new double[][] {{0, 2, 1}, {1, 1, 2}}), oneHot(2, 2, 2)};
        INDArray[] labelMasks = {Nd4j.createFromArray(new double[][] {{1, 1, 0}, {1, 0, 1}}), null};

        assertTrue(LayerGraphs.gradientsMatch(graph, inputs, masks, labels, labelMasks));
    }

    @Test
    void gatherRejectsPositionsOutsideTheSequence() {
        ComputationGraph graph = graph();
        INDArray[] inputs = {Nd4j.ones(1, 3), Nd4j.zeros(1, 3), Nd4j.createFromArray(new double[][] {{0, 3}})};

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> graph.output(inputs));

        assertTrue(e.getMessage().contains("position 3 is outside the sequence [0, 3)"), e.getMessage());
    }
}
