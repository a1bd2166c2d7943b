package io.pretext.zoo.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The output end of a post-LN transformer sublayer (attention, feed-forward): {@code y = LayerNorm(dropout(z) + x)}
 * and its backprop. It keeps what backprop needs from the last training forward pass.
 */
final class ResidualNorm {

    private INDArray dropMask;    // [rows, hidden], or null without dropout
    private INDArray normalized;  // [rows, hidden] layer-norm xhat
    private INDArray invStd;      // [rows, 1]

    /**
     * @param z        the sublayer's output [rows, hidden]; changed in place
     * @param x2       the sublayer's input as [rows, hidden]
     * @param outShape the shape of the returned activations (the input's)
     * @param dropout  the hidden dropout rate, applied only when training
     */
    INDArray forward(INDArray z, INDArray x2, long[] outShape, INDArray gamma, INDArray beta, double eps,
                     double dropout, boolean training, LayerWorkspaceMgr workspaceMgr, DataType dataType) {
        ArrayType kept = training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;
        long rows = z.size(0);
        long hidden = z.size(1);
        INDArray mask = null;
        if (training && dropout > 0) {
            mask = TransformerMath.fillDropoutMask(workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                    z.shape(), 'c'), dropout);
            z.muli(mask);
        }
        z.addi(x2);
        INDArray xhat = workspaceMgr.createUninitialized(kept, dataType, new long[] {rows, hidden}, 'c');
        INDArray inv = workspaceMgr.createUninitialized(kept, dataType, new long[] {rows, 1}, 'c');
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outShape, 'c');
        TransformerMath.layerNorm(z, gamma, beta, eps, xhat, inv, out.reshape(rows, hidden));
        if (training) {
            dropMask = mask;
            normalized = xhat;
            invStd = inv;
        }
        return out;
    }

    /**
     * Backprop through the layer norm into {@code dx2} ([rows, hidden]: the residual path's share of dL/dx, to which
     * the caller adds the sublayer's), filling the gamma and beta gradients.
     *
     * @return dL/dz, the sublayer output's gradient; it aliases {@code dx2} when there was no dropout
     */
    INDArray backward(INDArray dy, INDArray gamma, INDArray gammaGrad, INDArray betaGrad, INDArray dx2) {
        TransformerMath.layerNormBackward(dy, normalized, invStd, gamma, gammaGrad, betaGrad, dx2);
        return dropMask == null ? dx2 : dx2.mul(dropMask);
    }

    void clear() {
        dropMask = null;
        normalized = null;
        invStd = null;
    }
}
