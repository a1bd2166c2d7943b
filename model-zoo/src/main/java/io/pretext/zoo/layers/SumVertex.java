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

/**
 * Element-wise sum of two or more inputs of one shape (e.g. token and segment embeddings, each
 * {@code [batch, seq, size]}). The output carries the <em>first</em> input's mask, whatever the others carry:
 * DL4J's {@code ElementWiseVertex} instead drops the mask when any input has none, which would silently turn
 * off the padding mask of a transformer whose segment ids come without one.
 */
public class SumVertex extends GraphVertex {

    @Override
    public SumVertex clone() {
        return new SumVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SumVertex;
    }

    @Override
    public int hashCode() {
        return SumVertex.class.hashCode();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return Integer.MAX_VALUE;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new Impl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        return vertexInputs[0];
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, SumVertex.class, inputTypes[0], inputTypes[0])
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    static final class Impl extends BaseGraphVertex {

        Impl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
            super(graph, name, vertexIndex, null, null, dataType);
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
                throw new IllegalStateException("SumVertex " + vertexName + ": inputs not set");
            }
            INDArray out = workspaceMgr.dup(ArrayType.ACTIVATIONS, inputs[0].castTo(dataType), 'c');
            for (int i = 1; i < inputs.length; i++) {
                if (!Arrays.equals(inputs[i].shape(), out.shape())) {
                    throw new IllegalArgumentException("SumVertex " + vertexName + " needs inputs of one shape, got "
                            + Arrays.toString(out.shape()) + " and " + Arrays.toString(inputs[i].shape()));
                }
                out.addi(inputs[i].castTo(dataType));
            }
            return out;
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            if (!canDoBackward()) {
                throw new IllegalStateException("SumVertex " + vertexName + ": epsilon not set");
            }
            INDArray[] grads = new INDArray[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                // separate copies: DL4J may add into an input's gradient in place
                grads[i] = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon);
            }
            return new Pair<>(null, grads);
        }

        @Override
        public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
            if (backpropGradientsViewArray != null) {
                throw new IllegalStateException("SumVertex " + vertexName + " has no parameters");
            }
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                int minibatchSize) {
            return new Pair<>(maskArrays == null ? null : maskArrays[0], currentMaskState);
        }

        @Override
        public String toString() {
            return "SumVertex(name=\"" + vertexName + "\")";
        }
    }
}
