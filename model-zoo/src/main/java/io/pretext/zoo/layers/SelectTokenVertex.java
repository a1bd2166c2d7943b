package io.pretext.zoo.layers;

import java.util.Arrays;

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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * One fixed position of each sequence, e.g. BERT's [CLS] token at position 0:
 * {@code [batch, seq, size] -> [batch, size]}. The output carries no mask.
 */
public class SelectTokenVertex extends GraphVertex {

    @JsonProperty("position")
    private int position;

    /** For JSON deserialisation. */
    public SelectTokenVertex() {
    }

    /** @param position the sequence position to select, {@code >= 0} */
    public SelectTokenVertex(int position) {
        if (position < 0) {
            throw new IllegalArgumentException("SelectTokenVertex position must be >= 0, got " + position);
        }
        this.position = position;
    }

    public int getPosition() {
        return position;
    }

    @Override
    public SelectTokenVertex clone() {
        return new SelectTokenVertex(position);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SelectTokenVertex other && position == other.position;
    }

    @Override
    public int hashCode() {
        return 31 * SelectTokenVertex.class.hashCode() + position;
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
        return new Impl(graph, name, idx, networkDatatype, position);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType sequence = vertexInputs[0];
        long size = sequence instanceof InputType.InputTypeRecurrent r ? r.getSize()
                : sequence.arrayElementsPerExample();
        return InputType.feedForward(size);
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, SelectTokenVertex.class, inputTypes[0],
                getOutputType(-1, inputTypes)).standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    static final class Impl extends BaseGraphVertex {

        private final int position;

        Impl(ComputationGraph graph, String name, int vertexIndex, DataType dataType, int position) {
            super(graph, name, vertexIndex, null, null, dataType);
            this.position = position;
        }

        @Override
        public boolean hasLayer() {
            return false;
        }

        @Override
        public Layer getLayer() {
            return null;
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (!canDoForward()) {
                throw new IllegalStateException("SelectTokenVertex " + vertexName + ": input not set");
            }
            INDArray sequence = inputs[0];
            if (sequence.rank() != 3 || sequence.size(1) <= position) {
                throw new IllegalArgumentException("SelectTokenVertex " + vertexName + " expects [batch, seq > "
                        + position + ", size], got " + Arrays.toString(sequence.shape()));
            }
            INDArray token = sequence.get(NDArrayIndex.all(), NDArrayIndex.point(position), NDArrayIndex.all());
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, token.castTo(dataType), 'c');   // [batch, size]
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            if (!canDoBackward()) {
                throw new IllegalStateException("SelectTokenVertex " + vertexName + ": epsilon not set");
            }
            INDArray grad = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, inputs[0].shape(), 'c');
            grad.get(NDArrayIndex.all(), NDArrayIndex.point(position), NDArrayIndex.all()).assign(epsilon);
            return new Pair<>(null, new INDArray[] {grad});
        }

        @Override
        public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
            if (backpropGradientsViewArray != null) {
                throw new IllegalStateException("SelectTokenVertex " + vertexName + " has no parameters");
            }
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                int minibatchSize) {
            return new Pair<>(null, currentMaskState);
        }

        @Override
        public String toString() {
            return "SelectTokenVertex(name=\"" + vertexName + "\", position=" + position + ")";
        }
    }
}
