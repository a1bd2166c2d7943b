package io.pretext.zoo.loss;

import java.util.Arrays;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Kullback-Leibler divergence of a diagonal Gaussian posterior {@code q = N(mu, diag(exp(v)))}
 * from the standard normal prior, in closed form (Kingma and Welling 2014, appendix B):
 *
 * <pre>
 *   KL(q || N(0, I)) = 1/2 sum_j ( mu_j^2 + exp(v_j) - 1 - v_j )
 *   d KL / d mu_j = mu_j        d KL / d v_j = (exp(v_j) - 1) / 2
 * </pre>
 *
 * The input is one row per example, {@code [N, 2L]}: the means in columns {@code 0..L-1}, the log
 * variances {@code v} in columns {@code L..2L-1} (the activation is applied first, normally the
 * identity). The row score is the KL of that example in nats. {@link #computeScore} with
 * {@code average = false} is the sum over rows, {@link #computeGradient} its gradient.
 *
 * <p><b>Labels.</b> The prior is fixed, so the labels array is not read; DL4J passes one per output,
 * and when it is given it must have one row per example (e.g. zeros {@code [N, 1]}). Label masks
 * are rejected.
 */
public final class GaussianKlLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /**
     * KL of each example from its mean {@code [N, L]} and log variance {@code [N, L]}: {@code [N, 1]}.
     */
    public static INDArray perExample(INDArray mean, INDArray logVariance) {
        if (!Arrays.equals(mean.shape(), logVariance.shape()) || mean.rank() != 2) {
            throw new IllegalArgumentException("latent mean and log variance must both be [N, L], got "
                    + Arrays.toString(mean.shape()) + " and " + Arrays.toString(logVariance.shape()));
        }
        INDArray terms = mean.mul(mean).addi(Transforms.exp(logVariance, true)).subi(1.0).subi(logVariance);
        return terms.sum(true, 1).muli(0.5);                                   // [N, 1]
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        INDArray rows = computeScoreArray(labels, preOutput, activationFn, mask);
        double sum = rows.sumNumber().doubleValue();
        return average ? sum / rows.size(0) : sum;
    }

    /** KL of every row, shape {@code [N, 1]}. */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        long latent = checkInputs(labels, preOutput, mask);
        INDArray p = activationFn.getActivation(preOutput.dup(), false);      // [N, 2L]
        return perExample(p.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latent)),
                p.get(NDArrayIndex.all(), NDArrayIndex.interval(latent, 2 * latent)));
    }

    /** Gradient of the summed KL with respect to {@code preOutput}, shape {@code [N, 2L]}. */
    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        long latent = checkInputs(labels, preOutput, mask);
        INDArray p = activationFn.getActivation(preOutput.dup(), true);       // [N, 2L]
        INDArray dKl = p.dup();
        INDArray dLogVariance = dKl.get(NDArrayIndex.all(), NDArrayIndex.interval(latent, 2 * latent));
        Transforms.exp(dLogVariance, false).subi(1.0).muli(0.5);             // mean columns keep d/dmu = mu
        return activationFn.backprop(preOutput.dup(), dKl).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "gaussian-kl";
    }

    /** @return the latent size {@code L} */
    private static long checkInputs(INDArray labels, INDArray preOutput, INDArray mask) {
        if (preOutput.rank() != 2 || preOutput.size(1) < 2 || preOutput.size(1) % 2 != 0) {
            throw new IllegalArgumentException("Gaussian KL expects [N, 2L] rows (means, then log variances), got "
                    + "shape " + Arrays.toString(preOutput.shape()));
        }
        if (labels != null && (labels.rank() < 1 || labels.size(0) != preOutput.size(0))) {
            throw new IllegalArgumentException("Gaussian KL labels are not read but must have one row per example, "
                    + "i.e. shape [" + preOutput.size(0) + ", 1], got " + Arrays.toString(labels.shape()));
        }
        if (mask != null) {
            throw new IllegalArgumentException("Gaussian KL does not take a labels mask, got mask of shape "
                    + Arrays.toString(mask.shape()));
        }
        return preOutput.size(1) / 2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianKlLoss;
    }

    @Override
    public int hashCode() {
        return GaussianKlLoss.class.hashCode();
    }

    @Override
    public String toString() {
        return "GaussianKlLoss()";
    }
}
