package io.pretext.zoo.layers;

import java.util.Arrays;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The computation of {@link SequenceEmbedding}. */
public class SequenceEmbeddingLayer extends BaseLayer<SequenceEmbedding> {

    /**
     * True once a tied projection has written its share of this step's {@code W} gradient (it runs its
     * backprop before this layer's); backprop then adds to it instead of overwriting it.
     */
    private boolean weightGradientStarted;

    public SequenceEmbeddingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        SequenceEmbedding c = layerConf();
        long batch = input.size(0);
        long seq = input.size(1);
        int[] ids = ids();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[] {batch, seq, c.getSize()}, 'c');                         // [batch, seq, size]
        Nd4j.pullRows(getParam(SequenceEmbedding.WEIGHT_KEY), out.reshape(batch * seq, c.getSize()), 1, ids);
        if (c.getMaxPositions() > 0) {
            INDArray positions = getParam(SequenceEmbedding.POSITIONS_KEY)
                    .get(NDArrayIndex.interval(0, seq), NDArrayIndex.all());      // [seq, size]
            Nd4j.exec(new BroadcastAddOp(out, positions, out, 1, 2));
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        SequenceEmbedding c = layerConf();
        long seq = input.size(1);
        INDArray eps = TransformerMath.contiguous(epsilon.castTo(dataType));     // [batch, seq, size]
        INDArray eps2d = eps.reshape(eps.size(0) * seq, c.getSize());

        Gradient gradient = new DefaultGradient();
        INDArray weightGrad = gradientViews.get(SequenceEmbedding.WEIGHT_KEY);    // [vocabSize, size]
        if (!weightGradientStarted) {
            weightGrad.assign(0);
        }
        TransformerMath.scatterAddRows(weightGrad, ids(), eps2d);
        weightGradientStarted = false;
        gradient.setGradientFor(SequenceEmbedding.WEIGHT_KEY, weightGrad);

        if (c.getMaxPositions() > 0) {
            INDArray positionGrad = gradientViews.get(SequenceEmbedding.POSITIONS_KEY); // [maxPositions, size]
            // rows 0..seq-1 get the sum over the batch, computed as [1, seq * size]
            INDArray sums = Nd4j.createUninitialized(dataType, 1, seq * c.getSize());
            TransformerMath.columnSums(eps.reshape(eps.size(0), seq * c.getSize()), sums);
            positionGrad.get(NDArrayIndex.interval(0, seq), NDArrayIndex.all()).assign(sums.reshape(seq, c.getSize()));
            if (seq < c.getMaxPositions()) {
                positionGrad.get(NDArrayIndex.interval(seq, c.getMaxPositions()), NDArrayIndex.all()).assign(0);
            }
            gradient.setGradientFor(SequenceEmbedding.POSITIONS_KEY, positionGrad);
        }
        // ids are not differentiable
        return new Pair<>(gradient, null);
    }

    /** The embedding table {@code W} [vocabSize, size]. */
    INDArray weights() {
        return getParam(SequenceEmbedding.WEIGHT_KEY);
    }

    /**
     * Adds {@code eps^T x} to this step's gradient of {@code W}, for a projection {@code y = x W^T} that shares
     * the table: {@code eps} [n, vocabSize] is the gradient of {@code y}, {@code x} [n, size] its input. Must be
     * called during backprop, before this layer's own backprop.
     */
    void addProjectionGradient(INDArray eps, INDArray x) {
        INDArray weightGrad = gradientViews.get(SequenceEmbedding.WEIGHT_KEY);
        Nd4j.gemm(eps, x, weightGrad, true, false, 1.0, weightGradientStarted ? 1.0 : 0.0);
        weightGradientStarted = true;
    }

    /** The input ids as row numbers of {@code W}, validated; row-major over [batch, seq]. */
    private int[] ids() {
        SequenceEmbedding c = layerConf();
        if (input.rank() != 2) {
            throw new IllegalArgumentException("SequenceEmbedding " + layerId() + " expects ids of shape [batch, seq], "
                    + "got " + Arrays.toString(input.shape()));
        }
        long seq = input.size(1);
        if (c.getMaxPositions() > 0 && seq > c.getMaxPositions()) {
            throw new IllegalArgumentException("sequence length " + seq + " exceeds the " + c.getMaxPositions()
                    + " positions of " + layerId() + " (shorten the sequences or raise model.maxPositions)");
        }
        int[] ids = input.reshape(input.length()).toIntVector();
        for (int id : ids) {
            if (id < 0 || id >= c.getVocabSize()) {
                throw new IllegalArgumentException("id " + id + " is outside the vocabulary [0, " + c.getVocabSize()
                        + ") of " + layerId());
            }
        }
        return ids;
    }

    @Override
    public void clear() {
        super.clear();
        weightGradientStarted = false;
    }

    @Override
    public Layer clone() {
        throw new UnsupportedOperationException("SequenceEmbeddingLayer is cloned through its configuration");
    }
}
