package io.pretext.zoo.layers;

import static io.pretext.zoo.layers.MultiHeadSelfAttention.BETA_KEY;
import static io.pretext.zoo.layers.MultiHeadSelfAttention.GAMMA_KEY;
import static io.pretext.zoo.layers.MultiHeadSelfAttention.OUTPUT_BIAS_KEY;
import static io.pretext.zoo.layers.MultiHeadSelfAttention.OUTPUT_WEIGHT_KEY;
import static io.pretext.zoo.layers.MultiHeadSelfAttention.QKV_BIAS_KEY;
import static io.pretext.zoo.layers.MultiHeadSelfAttention.QKV_WEIGHT_KEY;

import java.util.Arrays;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The computation of {@link MultiHeadSelfAttention}. All heads go through one batched matrix product per step
 * ({@code [batch, heads, seq, headSize]} operands); the only copies are the two head-major re-layouts of the
 * projections.
 */
public class MultiHeadSelfAttentionLayer extends BaseLayer<MultiHeadSelfAttention> {

    /** Added to the attention logits of padded keys: their softmax weight underflows to exactly 0. */
    private static final double MASKED_LOGIT = -1e9;

    private static final MMulTranspose NONE = MMulTranspose.builder().build();
    private static final MMulTranspose TRANSPOSE_A = MMulTranspose.builder().transposeA(true).build();
    private static final MMulTranspose TRANSPOSE_B = MMulTranspose.builder().transposeB(true).build();

    /** Kept from the training forward pass for backprop (arrays in the activations workspace). */
    private INDArray heads;             // [3, batch, heads, seq, headSize]: queries, keys, values
    private INDArray weights;           // [batch, heads, seq, seq] attention weights before dropout
    private INDArray weightsDropMask;   // [batch, heads, seq, seq], or null without attention dropout
    private INDArray context;           // [batch * seq, hidden] concatenated heads
    private final ResidualNorm residual = new ResidualNorm();

    public MultiHeadSelfAttentionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        MultiHeadSelfAttention c = layerConf();
        INDArray x = checkedInput();                                             // [batch, seq, hidden]
        long batch = x.size(0);
        long seq = x.size(1);
        long hidden = c.getHiddenSize();
        int nHeads = c.getHeads();
        long headSize = hidden / nHeads;
        long rows = batch * seq;
        INDArray x2 = x.reshape(rows, hidden);
        ArrayType kept = training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;

        // projections, re-laid out head-major: [rows, 3 hidden] -> [3, batch, heads, seq, headSize]
        INDArray qkv = TransformerMath.matmul(x2, getParam(QKV_WEIGHT_KEY), false, false)
                .addiRowVector(getParam(QKV_BIAS_KEY));
        INDArray qkvHeads = workspaceMgr.createUninitialized(kept, dataType,
                new long[] {3, batch, nHeads, seq, headSize}, 'c');
        qkvHeads.assign(qkv.reshape(batch, seq, 3, nHeads, headSize).permute(2, 0, 3, 1, 4));
        INDArray q = qkvHeads.get(NDArrayIndex.point(0));
        INDArray k = qkvHeads.get(NDArrayIndex.point(1));
        INDArray v = qkvHeads.get(NDArrayIndex.point(2));

        // attention weights: softmax over keys of the scaled dot products, padded keys masked out
        INDArray a = workspaceMgr.createUninitialized(kept, dataType, new long[] {batch, nHeads, seq, seq}, 'c');
        Nd4j.exec(new Mmul(q, k, a, 1.0 / Math.sqrt(headSize), 0.0, TRANSPOSE_B));
        if (maskArray != null) {
            if (maskArray.rank() != 2 || maskArray.size(0) != batch || maskArray.size(1) != seq) {
                throw new IllegalArgumentException("MultiHeadSelfAttention " + layerId() + " expects a padding mask of "
                        + "shape [" + batch + ", " + seq + "], got " + Arrays.toString(maskArray.shape()));
            }
            INDArray logitBias = maskArray.castTo(dataType).sub(1.0).muli(-MASKED_LOGIT); // [batch, seq]: 0 or -1e9
            Nd4j.exec(new BroadcastAddOp(a, logitBias, a, 0, 3));
        }
        Nd4j.exec(new SoftMax(a, a, -1));

        INDArray aDropped = a;
        INDArray aMask = null;
        if (training && c.getAttentionDropout() > 0) {
            aMask = TransformerMath.fillDropoutMask(workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                    a.shape(), 'c'), c.getAttentionDropout());
            aDropped = a.mul(aMask);
        }
        INDArray headContext = Nd4j.matmul(aDropped, v);                        // [batch, heads, seq, headSize]
        INDArray ctx = workspaceMgr.createUninitialized(kept, dataType, new long[] {batch, seq, nHeads, headSize}, 'c');
        ctx.assign(headContext.permute(0, 2, 1, 3));
        INDArray ctx2 = ctx.reshape(rows, hidden);                               // [rows, hidden]

        // output projection, dropout, residual, layer norm
        INDArray z = TransformerMath.matmul(ctx2, getParam(OUTPUT_WEIGHT_KEY), false, false)
                .addiRowVector(getParam(OUTPUT_BIAS_KEY));
        INDArray out = residual.forward(z, x2, x.shape(), getParam(GAMMA_KEY), getParam(BETA_KEY), c.getEpsilon(),
                c.getHiddenDropout(), training, workspaceMgr, dataType);

        if (training) {
            heads = qkvHeads;
            weights = a;
            weightsDropMask = aMask;
            context = ctx2;
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (heads == null) {
            throw new IllegalStateException("MultiHeadSelfAttention " + layerId()
                    + ": backprop without a training forward pass");
        }
        MultiHeadSelfAttention c = layerConf();
        INDArray x = checkedInput();
        long batch = x.size(0);
        long seq = x.size(1);
        long hidden = c.getHiddenSize();
        int nHeads = c.getHeads();
        long headSize = hidden / nHeads;
        long rows = batch * seq;
        double scale = 1.0 / Math.sqrt(headSize);
        INDArray x2 = x.reshape(rows, hidden);
        INDArray dy = TransformerMath.contiguous(epsilon.castTo(dataType)).reshape(rows, hidden);

        // layer norm; dx starts as the residual branch's gradient dL/dz
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        INDArray dx2 = dx.reshape(rows, hidden);
        INDArray gammaGrad = gradientViews.get(GAMMA_KEY);
        INDArray betaGrad = gradientViews.get(BETA_KEY);
        INDArray dz = residual.backward(dy, getParam(GAMMA_KEY), gammaGrad, betaGrad, dx2);   // [rows, hidden]

        // output projection
        INDArray woGrad = gradientViews.get(OUTPUT_WEIGHT_KEY);
        INDArray boGrad = gradientViews.get(OUTPUT_BIAS_KEY);
        Nd4j.gemm(context, dz, woGrad, true, false, 1.0, 0.0);
        TransformerMath.columnSums(dz, boGrad);
        INDArray dCtx = TransformerMath.matmul(dz, getParam(OUTPUT_WEIGHT_KEY), false, true)
                .reshape(batch, seq, nHeads, headSize).permute(0, 2, 1, 3).dup('c'); // [batch, heads, seq, headSize]

        // attention: d(weights) = dCtx v^T, dv = weights^T dCtx, then through dropout and softmax
        INDArray q = heads.get(NDArrayIndex.point(0));
        INDArray k = heads.get(NDArrayIndex.point(1));
        INDArray v = heads.get(NDArrayIndex.point(2));
        INDArray dHeads = Nd4j.createUninitialized(dataType, 3, batch, nHeads, seq, headSize); // dq, dk, dv
        INDArray aDropped = weightsDropMask == null ? weights : weights.mul(weightsDropMask);
        Nd4j.exec(new Mmul(aDropped, dCtx, dHeads.get(NDArrayIndex.point(2)), 1.0, 0.0, TRANSPOSE_A));
        INDArray dA = Nd4j.createUninitialized(dataType, batch, nHeads, seq, seq);
        Nd4j.exec(new Mmul(dCtx, v, dA, 1.0, 0.0, TRANSPOSE_B));
        if (weightsDropMask != null) {
            dA.muli(weightsDropMask);
        }
        TransformerMath.softmaxBackward(weights, dA);                           // dA = dL/dlogits
        Nd4j.exec(new Mmul(dA, k, dHeads.get(NDArrayIndex.point(0)), scale, 0.0, NONE));
        Nd4j.exec(new Mmul(dA, q, dHeads.get(NDArrayIndex.point(1)), scale, 0.0, TRANSPOSE_A));

        // input projection: back to [rows, 3 hidden] in the column order of Wqkv
        INDArray dQkv = dHeads.permute(1, 3, 0, 2, 4).dup('c').reshape(rows, 3 * hidden);
        INDArray wqkvGrad = gradientViews.get(QKV_WEIGHT_KEY);
        INDArray bqkvGrad = gradientViews.get(QKV_BIAS_KEY);
        Nd4j.gemm(x2, dQkv, wqkvGrad, true, false, 1.0, 0.0);
        TransformerMath.columnSums(dQkv, bqkvGrad);
        // dz aliases dx2 without dropout: this accumulation is the last use of both
        Nd4j.gemm(dQkv, getParam(QKV_WEIGHT_KEY), dx2, false, true, 1.0, 1.0);

        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(QKV_WEIGHT_KEY, wqkvGrad);
        gradient.setGradientFor(QKV_BIAS_KEY, bqkvGrad);
        gradient.setGradientFor(OUTPUT_WEIGHT_KEY, woGrad);
        gradient.setGradientFor(OUTPUT_BIAS_KEY, boGrad);
        gradient.setGradientFor(GAMMA_KEY, gammaGrad);
        gradient.setGradientFor(BETA_KEY, betaGrad);
        return new Pair<>(gradient, dx);
    }

    private INDArray checkedInput() {
        INDArray x = TransformerMath.contiguous(input.castTo(dataType));
        if (x.rank() != 3 || x.size(2) != layerConf().getHiddenSize()) {
            throw new IllegalArgumentException("MultiHeadSelfAttention " + layerId() + " expects input [batch, seq, "
                    + layerConf().getHiddenSize() + "], got " + Arrays.toString(x.shape()));
        }
        return x;
    }

    @Override
    public void clear() {
        super.clear();
        heads = null;
        weights = null;
        weightsDropMask = null;
        context = null;
        residual.clear();
    }

    @Override
    public Layer clone() {
        throw new UnsupportedOperationException("MultiHeadSelfAttentionLayer is cloned through its configuration");
    }
}
