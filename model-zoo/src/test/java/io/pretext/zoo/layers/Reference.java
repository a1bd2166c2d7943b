package io.pretext.zoo.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Slow loop implementations written straight from the definitions (BERT: Devlin et al. 2019; attention:
 * Vaswani et al. 2017; layer norm: Ba et al. 2016; GELU: Hendrycks and Gimpel 2016), in double precision, to
 * check the vectorised layers against.
 */
final class Reference {

    private Reference() {
    }

    /** erf by its Maclaurin series; accurate to ~1e-9 for |x| <= 4, and +-1 beyond 6 (erfc(6) < 3e-17). */
    static double erf(double x) {
        if (Math.abs(x) > 6) {
            return Math.signum(x);
        }
        double sum = 0;
        double term = x;                       // (-1)^n x^(2n+1) / n!
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** Row-wise layer norm of z [n][h]. */
    static double[][] layerNorm(double[][] z, double[] gamma, double[] beta, double eps) {
        double[][] y = new double[z.length][];
        for (int r = 0; r < z.length; r++) {
            int h = z[r].length;
            double mean = 0;
            for (double v : z[r]) {
                mean += v / h;
            }
            double var = 0;
            for (double v : z[r]) {
                var += (v - mean) * (v - mean) / h;
            }
            y[r] = new double[h];
            for (int i = 0; i < h; i++) {
                y[r][i] = gamma[i] * (z[r][i] - mean) / Math.sqrt(var + eps) + beta[i];
            }
        }
        return y;
    }

    /** x [n][in] W [in][out] + b. */
    static double[][] affine(double[][] x, double[][] w, double[] b) {
        double[][] y = new double[x.length][w[0].length];
        for (int r = 0; r < x.length; r++) {
            for (int o = 0; o < w[0].length; o++) {
                double s = b == null ? 0 : b[o];
                for (int i = 0; i < w.length; i++) {
                    s += x[r][i] * w[i][o];
                }
                y[r][o] = s;
            }
        }
        return y;
    }

    /**
     * Post-LN multi-head self-attention sub-layer on one sequence x [T][H]: LN(x + Attention(x) Wo + bo), keys
     * with mask 0 left out of every softmax.
     */
    static double[][] attention(double[][] x, double[] mask, int heads, INDArray wqkv, INDArray bqkv, INDArray wo,
            INDArray bo, INDArray gamma, INDArray beta, double eps) {
        int t = x.length;
        int h = x[0].length;
        int d = h / heads;
        double[][] qkv = affine(x, wqkv.toDoubleMatrix(), bqkv.toDoubleVector());
        double[][] context = new double[t][h];
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < t; i++) {
                double[] score = new double[t];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < t; j++) {
                    if (mask != null && mask[j] == 0) {
                        continue;
                    }
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += qkv[i][head * d + k] * qkv[j][h + head * d + k];
                    }
                    score[j] = s / Math.sqrt(d);
                    max = Math.max(max, score[j]);
                }
                double total = 0;
                double[] p = new double[t];
                for (int j = 0; j < t; j++) {
                    if (mask == null || mask[j] != 0) {
                        p[j] = Math.exp(score[j] - max);
                        total += p[j];
                    }
                }
                for (int j = 0; j < t; j++) {
                    for (int k = 0; k < d; k++) {
                        context[i][head * d + k] += p[j] / total * qkv[j][2 * h + head * d + k];
                    }
                }
            }
        }
        double[][] z = affine(context, wo.toDoubleMatrix(), bo.toDoubleVector());
        for (int i = 0; i < t; i++) {
            for (int k = 0; k < h; k++) {
                z[i][k] += x[i][k];
            }
        }
        return layerNorm(z, gamma.toDoubleVector(), beta.toDoubleVector(), eps);
    }

    /** Post-LN feed-forward sub-layer on rows x [n][H]: LN(x + GELU(x W1 + b1) W2 + b2). */
    static double[][] feedForward(double[][] x, INDArray w1, INDArray b1, INDArray w2, INDArray b2, INDArray gamma,
            INDArray beta, double eps) {
        double[][] a = affine(x, w1.toDoubleMatrix(), b1.toDoubleVector());
        for (double[] row : a) {
            for (int i = 0; i < row.length; i++) {
                row[i] = gelu(row[i]);
            }
        }
        double[][] z = affine(a, w2.toDoubleMatrix(), b2.toDoubleVector());
        for (int r = 0; r < x.length; r++) {
            for (int k = 0; k < x[r].length; k++) {
                z[r][k] += x[r][k];
            }
        }
        return layerNorm(z, gamma.toDoubleVector(), beta.toDoubleVector(), eps);
    }

    /** Sequence b of a [B, T, H] array as [T][H]. */
    static double[][] sequence(INDArray a, int b) {
        return a.get(NDArrayIndex.point(b)).toDoubleMatrix();
    }

    /** [B][T][H] to a double [B, T, H] array. */
    static INDArray array(double[][][] a) {
        return Nd4j.createFromArray(a).castTo(DataType.DOUBLE);
    }
}
