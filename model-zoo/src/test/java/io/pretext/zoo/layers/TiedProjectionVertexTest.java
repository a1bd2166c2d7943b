package io.pretext.zoo.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TiedProjectionVertexTest {

    private static final int VOCAB = 8;
    private static final int SIZE = 3;

    private static final INDArray IDS = Nd4j.createFromArray(new double[][] {{1, 5, 5, 2}, {7, 5, 1, 1}});
    private static final INDArray POSITIONS = Nd4j.createFromArray(new double[][] {{1, 2, 1}, {0, 3, 3}});
    private static final INDArray LABELS = Nd4j.createFromArray(new double[][] {{5, 4, 0}, {7, 1, 6}});
    private static final INDArray WEIGHTS = Nd4j.createFromArray(new double[][] {{1, 1, 0}, {1, 1, 1}});

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** ids -> embedding -> layer norm -> gathered positions -> projection onto the vocabulary -> softmax loss. */
    private static ComputationGraph graph(boolean tied) {
        GraphBuilder g = LayerGraphs.builder(21).graphBuilder()
                .addInputs("ids", "positions")
                .addLayer("embedding", new SequenceEmbedding(VOCAB, SIZE, 0), "ids")
                .addLayer("norm", new LayerNorm(SIZE, 1e-12, 0), "embedding")
                .addVertex("gather", new PositionGatherVertex(), "norm", "positions");
        if (tied) {
            g.addVertex("decoder", new TiedProjectionVertex("embedding", VOCAB), "gather");
        } else {
            g.addLayer("decoder", new DenseLayer.Builder().nIn(SIZE).nOut(VOCAB).hasBias(false)
                    .activation(Activation.IDENTITY).build(), "gather");
        }
        g.addLayer("out", new SparseSoftmaxOutput(VOCAB), "decoder").setOutputs("out");
        ComputationGraph graph = LayerGraphs.init(g);
        graph.getParam("out_b").assign(LayerGraphs.gaussian(3, 1, VOCAB));
        return graph;
    }

    private static INDArray[] inputs() {
        return new INDArray[] {IDS, POSITIONS};
    }

    @Test
    void projectsOntoTheEmbeddingTable() {
        ComputationGraph graph = graph(true);

        var acts = graph.feedForward(inputs(), false);

        INDArray expected = acts.get("gather").mmul(graph.getParam("embedding_W").transpose());
        assertEquals(0, acts.get("decoder").sub(expected).amaxNumber().doubleValue(), 1e-12);
        assertEquals(graph.getLayer("embedding").numParams() + graph.getLayer("norm").numParams()
                + graph.getLayer("out").numParams(), graph.numParams());
    }

    @Test
    void gradientsMatchNumericalGradients() {
        assertTrue(LayerGraphs.gradientsMatch(graph(true), inputs(), null, new INDArray[] {LABELS},
                new INDArray[] {WEIGHTS}));
    }

    @Test
    void sharedTableGetsTheSumOfTheLookupAndProjectionGradients() {
        ComputationGraph tied = graph(true);
        ComputationGraph untied = graph(false);
        untied.getParam("embedding_W").assign(tied.getParam("embedding_W"));
        untied.getParam("decoder_W").assign(tied.getParam("embedding_W").transpose());
        for (ComputationGraph g : new ComputationGraph[] {tied, untied}) {
            g.setInputs(inputs());
            g.setLabels(LABELS);
            g.setLayerMaskArrays(null, new INDArray[] {WEIGHTS});
            g.computeGradientAndScore();
        }

        INDArray lookup = untied.gradient().getGradientFor("embedding_W");
        INDArray projection = untied.gradient().getGradientFor("decoder_W").transpose();
        INDArray shared = tied.gradient().getGradientFor("embedding_W");

        assertEquals(tied.score(), untied.score(), 1e-12);
        assertEquals(0, shared.sub(lookup.add(projection)).amaxNumber().doubleValue(), 1e-12);
        assertTrue(lookup.norm2Number().doubleValue() > 1e-3 && projection.norm2Number().doubleValue() > 1e-3);
    }
}
