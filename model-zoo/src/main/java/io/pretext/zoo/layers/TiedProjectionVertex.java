package io.pretext.zoo.layers;

import java.util.Arrays;
import java.util.Objects;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A linear projection onto a vocabulary whose weight is the embedding table of a {@link SequenceEmbedding}
 * layer of the same graph (BERT's MLM decoder tied to the word embeddings):
 *
 * <pre>
 *   x [rows, size]  ->  x W^T  [rows, vocabSize],   W = the embedding layer's table [vocabSize, size]
 * </pre>
 *
 * The vertex owns no parameter. In backprop it adds {@code eps^T x} to the embedding layer's gradient of
 * {@code W}, which DL4J runs later (the embedding is upstream of the projection), so the one shared table gets
 * the sum of both gradients, is updated once, and is stored and averaged once.
 */
public class TiedProjectionVertex extends GraphVertex {

    @JsonProperty("embeddingLayer")
    private String embeddingLayer;
    @JsonProperty("vocabSize")
    private long vocabSize;

    /** For JSON deserialisation. */
    public TiedProjectionVertex() {
    }

    /**
     * @param embeddingLayer name of the {@link SequenceEmbedding} layer whose table is the weight
     * @param vocabSize      that layer's vocabulary size, the output size (checked against the table)
     */
    public TiedProjectionVertex(String embeddingLayer, long vocabSize) {
        if (vocabSize < 1) {
            throw new IllegalArgumentException("TiedProjectionVertex needs vocabSize >= 1, got " + vocabSize);
        }
        this.embeddingLayer = Objects.requireNonNull(embeddingLayer, "embeddingLayer");
        this.vocabSize = vocabSize;
    }

    public String getEmbeddingLayer() {
        return embeddingLayer;
    }

    public long getVocabSize() {
        return vocabSize;
    }

    @Override
    public TiedProjectionVertex clone() {
        return new TiedProjectionVertex(embeddingLayer, vocabSize);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TiedProjectionVertex other && Objects.equals(embeddingLayer, other.embeddingLayer)
                && vocabSize == other.vocabSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(TiedProjectionVertex.class, embeddingLayer, vocabSize);
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new Impl(graph, name, idx, networkDatatype, embeddingLayer, vocabSize);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        return InputType.feedForward(vocabSize);
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, TiedProjectionVertex.class, inputTypes[0],
                getOutputType(-1, inputTypes)).standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    static final class Impl extends BaseGraphVertex {

        private final String embeddingLayer;
        private final long vocabSize;

        Impl(ComputationGraph graph, String name, int vertexIndex, DataType dataType, String embeddingLayer,
                long vocabSize) {
            super(graph, name, vertexIndex, null, null, dataType);
            this.embeddingLayer = embeddingLayer;
            this.vocabSize = vocabSize;
        }

        @Override
        public boolean hasLayer() {
            return false;
        }

        @Override
        public Layer getLayer() {
            return null;
        }

        private SequenceEmbeddingLayer embedding() {
            Layer layer = graph.getLayer(embeddingLayer);
            if (!(layer instanceof SequenceEmbeddingLayer embedding)) {
                throw new IllegalStateException("TiedProjectionVertex " + vertexName + " is tied to layer "
                        + embeddingLayer + ", which is " + (layer == null ? "missing" : layer.getClass().getName())
                        + ", not a SequenceEmbedding");
            }
            if (embedding.weights().size(0) != vocabSize) {
                throw new IllegalStateException("TiedProjectionVertex " + vertexName + " expects a vocabulary of "
                        + vocabSize + " in layer " + embeddingLayer + ", which has " + embedding.weights().size(0));
            }
            return embedding;
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (!canDoForward()) {
                throw new IllegalStateException("TiedProjectionVertex " + vertexName + ": input not set");
            }
            INDArray x = inputs[0].castTo(dataType);                               // [rows, size]
            INDArray w = embedding().weights();                                    // [vocabSize, size]
            if (x.rank() != 2 || x.size(1) != w.size(1)) {
                throw new IllegalArgumentException("TiedProjectionVertex " + vertexName + " expects input [rows, "
                        + w.size(1) + "], got " + Arrays.toString(x.shape()));
            }
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                    new long[] {x.size(0), w.size(0)}, 'c');
            return Nd4j.gemm(x, w, out, false, true, 1.0, 0.0);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            if (!canDoBackward()) {
                throw new IllegalStateException("TiedProjectionVertex " + vertexName + ": epsilon not set");
            }
            SequenceEmbeddingLayer embedding = embedding();
            INDArray x = inputs[0].castTo(dataType);
            INDArray eps = epsilon.castTo(dataType);                               // [rows, vocabSize]
            INDArray w = embedding.weights();
            INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
            Nd4j.gemm(eps, w, grad, false, false, 1.0, 0.0);                       // [rows, size]
            embedding.addProjectionGradient(eps, x);
            return new Pair<>(null, new INDArray[] {grad});
        }

        @Override
        public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
            if (backpropGradientsViewArray != null) {
                throw new IllegalStateException("TiedProjectionVertex " + vertexName + " has no parameters");
            }
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                int minibatchSize) {
            return new Pair<>(maskArrays == null ? null : maskArrays[0], currentMaskState);
        }

        @Override
        public String toString() {
            return "TiedProjectionVertex(name=\"" + vertexName + "\", embeddingLayer=\"" + embeddingLayer + "\")";
        }
    }
}
