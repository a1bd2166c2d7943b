package io.pretext.zoo.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The vectorised pieces the transformer layers share: layer normalisation, the exact GELU, inverted dropout
 * masks, the softmax gradient, the scatter-add of embedding gradients, column sums and matrix products into
 * c-ordered results. Row-wise operations act on the last axis of c-ordered {@code [rows, features]} arrays.
 */
final class TransformerMath {

    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private TransformerMath() {
    }

    /**
     * Layer normalisation of each row: {@code y = gamma * (z - mean) / sqrt(var + eps) + beta}, with the
     * biased variance over the row.
     *
     * @param z      [n, h] input, not modified
     * @param gamma  [1, h]
     * @param beta   [1, h]
     * @param xhat   [n, h] output: the normalised rows (kept for backprop)
     * @param invStd [n, 1] output: {@code 1 / sqrt(var + eps)} (kept for backprop)
     * @param y      [n, h] output
     */
    static void layerNorm(INDArray z, INDArray gamma, INDArray beta, double eps, INDArray xhat, INDArray invStd,
            INDArray y) {
        long h = z.size(1);
        INDArray mean = z.mean(true, 1);                                         // [n, 1]
        Nd4j.exec(new BroadcastSubOp(z, mean, xhat, 0));                         // centred rows
        INDArray norm = xhat.norm2(true, 1);                                     // [n, 1] sqrt(h * var)
        invStd.assign(norm.muli(norm).divi(h).addi(eps));                        // var + eps
        Transforms.sqrt(invStd, false).rdivi(1.0);
        xhat.muliColumnVector(invStd);
        Nd4j.exec(new BroadcastMulOp(xhat, gamma, y, 1));
        y.addiRowVector(beta);
    }

    /**
     * Backward of {@link #layerNorm}: {@code dz = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))}
     * with {@code dxhat = dy * gamma}; also the gain and bias gradients.
     *
     * @param dy     [n, h] gradient of the output, not modified
     * @param dGamma [1, h] output
     * @param dBeta  [1, h] output
     * @param dz     [n, h] output: gradient of the input (may not alias {@code dy})
     */
    static void layerNormBackward(INDArray dy, INDArray xhat, INDArray invStd, INDArray gamma, INDArray dGamma,
            INDArray dBeta, INDArray dz) {
        columnSums(dy.mul(xhat), dGamma);
        columnSums(dy, dBeta);
        INDArray dxhat = dy.mulRowVector(gamma);                                 // [n, h]
        INDArray meanDxhat = dxhat.mean(true, 1);                                // [n, 1]
        INDArray meanDxhatXhat = dxhat.mul(xhat).mean(true, 1);                  // [n, 1]
        Nd4j.exec(new BroadcastMulOp(xhat, meanDxhatXhat, dz, 0));               // xhat * mean(dxhat xhat)
        dz.rsubi(dxhat).subiColumnVector(meanDxhat).muliColumnVector(invStd);
    }

    /** The exact GELU, {@code out = a * Phi(a)} with the standard normal CDF {@code Phi}; {@code out} may be a. */
    static void gelu(INDArray a, INDArray out) {
        INDArray cdf = Nd4j.createUninitialized(a.dataType(), a.shape());
        normalCdf(a, cdf);
        if (out == a) {
            a.muli(cdf);
        } else {
            Nd4j.exec(new MulOp(a, cdf, out));
        }
    }

    /**
     * In place: {@code grad <- grad * GELU'(a)}, {@code GELU'(a) = Phi(a) + a * phi(a)}.
     *
     * @param cdf {@code Phi(a)} if the caller kept it from the forward pass, else {@code null}
     */
    static void geluBackward(INDArray a, INDArray cdf, INDArray grad) {
        INDArray derivative = a.mul(a).muli(-0.5);                               // -a^2 / 2
        Transforms.exp(derivative, false).muli(INV_SQRT_2PI).muli(a);            // a * phi(a)
        if (cdf == null) {
            INDArray computed = Nd4j.createUninitialized(a.dataType(), a.shape());
            normalCdf(a, computed);
            derivative.addi(computed);
        } else {
            derivative.addi(cdf);
        }
        grad.muli(derivative);
    }

    /** {@code cdf = Phi(a) = (1 + erf(a / sqrt 2)) / 2}. */
    static void normalCdf(INDArray a, INDArray cdf) {
        a.mul(INV_SQRT2, cdf);
        Nd4j.exec(new Erf(cdf, cdf));
        cdf.addi(1.0).muli(0.5);
    }

    /**
     * Fills {@code mask} with an inverted-dropout mask: 0 with probability {@code rate}, else {@code 1 / (1 - rate)},
     * so that {@code x * mask} keeps the expectation of {@code x}.
     */
    static INDArray fillDropoutMask(INDArray mask, double rate) {
        double keep = 1.0 - rate;
        Nd4j.exec(new BernoulliDistribution(mask, keep));
        return mask.muli(1.0 / keep);
    }

    /**
     * In place: the gradient of a softmax over the last axis, {@code dp <- p * (dp - sum(dp * p))}.
     *
     * @param p  [..., k] softmax output
     * @param dp [..., k] gradient of the softmax output in, gradient of its input out
     */
    static void softmaxBackward(INDArray p, INDArray dp) {
        int last = p.rank() - 1;
        INDArray dot = dp.mul(p).sum(last);                                      // [...]
        int[] leading = new int[last];
        for (int i = 0; i < last; i++) {
            leading[i] = i;
        }
        Nd4j.exec(new BroadcastSubOp(dp, dot, dp, leading));
        dp.muli(p);
    }

    /**
     * In place: {@code target[indices[i]] += rows[i]} for every row {@code i}, correct with repeated indices.
     * libnd4j's {@code scatter_add} races on repeated indices unless its lock flag is set, which makes it
     * run on one thread; that is what this asks for.
     *
     * @param target  [v, h], c-ordered, updated in place
     * @param indices row numbers into {@code target}
     * @param rows    [indices.length, h]
     */
    static void scatterAddRows(INDArray target, int[] indices, INDArray rows) {
        scatterAdd(target, Nd4j.createFromArray(indices), rows);
    }

    /** In place: {@code target[indices[i]] += updates[i]} along the first axis, repeated indices summed. */
    static void scatterAdd(INDArray target, INDArray indices, INDArray updates) {
        Nd4j.exec(DynamicCustomOp.builder("scatter_add")
                .addInputs(target, indices, updates)
                .addOutputs(target)
                .addBooleanArguments(true, false)
                .build());
    }

    /**
     * {@code out} [1, cols] = the column sums of {@code x} [rows, cols], as a product with a row of ones: libnd4j
     * reduces along a strided axis several times slower than it multiplies.
     */
    static void columnSums(INDArray x, INDArray out) {
        Nd4j.gemm(Nd4j.ones(x.dataType(), 1, x.size(0)), x, out, false, false, 1.0, 0.0);
    }

    /**
     * {@code op(a) op(b)} as a new c-ordered array (for c-ordered operands). {@code INDArray.mmul} makes an
     * f-ordered result that takes libnd4j's slower path and makes every later element-wise op mix orders.
     */
    static INDArray matmul(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
        return Nd4j.gemm(a, b, transposeA, transposeB);
    }

    /** {@code array} itself if c-ordered and dense, else a c-ordered copy. */
    static INDArray contiguous(INDArray array) {
        return array.ordering() == 'c' && array.elementWiseStride() == 1 ? array : array.dup('c');
    }
}
