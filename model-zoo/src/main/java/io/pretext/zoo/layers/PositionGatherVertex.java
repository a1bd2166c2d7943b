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
import org.nd4j.linalg.factory.Nd4j;

/**
 * Picks given positions out of each sequence (BERT's gather of the masked positions before the MLM head):
 *
 * <pre>
 *   input 0: sequence  [batch, seq, size]
 *   input 1: positions [batch, p]  (integral values in [0, seq); may repeat)
 *     -> out[b * p + j, :] = sequence[b, positions[b, j], :]      [batch * p, size]
 * </pre>
 *
 * Rows are example-major, so row {@code b * p + j} belongs to label {@code [b, j]} of a {@code [batch, p]}
 * labels array. The gradient is scattered back with repeated positions summed. The positions get no gradient;
 * the output carries no mask (per-row weights belong in the labels mask).
 */
public class PositionGatherVertex extends GraphVertex {

    @Override
    public PositionGatherVertex clone() {
        return new PositionGatherVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PositionGatherVertex;
    }

    @Override
    public int hashCode() {
        return PositionGatherVertex.class.hashCode();
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
        return 2;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new Impl(graph, name, idx, networkDatatype);
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
        return new LayerMemoryReport.Builder(null, PositionGatherVertex.class, inputTypes[0],
                getOutputType(-1, inputTypes)).standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
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
                throw new IllegalStateException("PositionGatherVertex " + vertexName + ": inputs not set");
            }
            INDArray sequence = TransformerMath.contiguous(inputs[0].castTo(dataType));   // [batch, seq, size]
            long size = sequence.size(2);
            int[] rows = rows();
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                    new long[] {rows.length, size}, 'c');
            Nd4j.pullRows(sequence.reshape(sequence.size(0) * sequence.size(1), size), out, 1, rows);
            return out;
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            if (!canDoBackward()) {
                throw new IllegalStateException("PositionGatherVertex " + vertexName + ": epsilon not set");
            }
            INDArray sequence = inputs[0];
            long size = sequence.size(2);
            INDArray grad = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, sequence.shape(), 'c');
            TransformerMath.scatterAddRows(grad.reshape(sequence.size(0) * sequence.size(1), size), rows(),
                    TransformerMath.contiguous(epsilon.castTo(dataType)));
            return new Pair<>(null, new INDArray[] {grad, null});
        }

        /** Row numbers into the sequence viewed as [batch * seq, size], validated. */
        private int[] rows() {
            INDArray sequence = inputs[0];
            INDArray positions = inputs[1];
            if (sequence.rank() != 3) {
                throw new IllegalArgumentException("PositionGatherVertex " + vertexName + " expects a sequence "
                        + "[batch, seq, size], got " + Arrays.toString(sequence.shape()));
            }
            long batch = sequence.size(0);
            long seq = sequence.size(1);
            if (positions.rank() != 2 || positions.size(0) != batch) {
                throw new IllegalArgumentException("PositionGatherVertex " + vertexName + " expects positions of "
                        + "shape [" + batch + ", p], got " + Arrays.toString(positions.shape()));
            }
            long p = positions.size(1);
            int[] rows = positions.reshape(positions.length()).toIntVector();
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] < 0 || rows[i] >= seq) {
                    throw new IllegalArgumentException("position " + rows[i] + " is outside the sequence [0, " + seq
                            + ") (PositionGatherVertex " + vertexName + ")");
                }
                rows[i] += (int) ((i / p) * seq);
            }
            return rows;
        }

        @Override
        public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
            if (backpropGradientsViewArray != null) {
                throw new IllegalStateException("PositionGatherVertex " + vertexName + " has no parameters");
            }
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                int minibatchSize) {
            return new Pair<>(null, currentMaskState);
        }

        @Override
        public String toString() {
            return "PositionGatherVertex(name=\"" + vertexName + "\")";
        }
    }
}
