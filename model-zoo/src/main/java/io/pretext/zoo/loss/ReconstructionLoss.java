package io.pretext.zoo.loss;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The reconstruction loss of an autoencoder: an element-wise loss between the output and the clean
 * target, summed over the elements of a row and scaled by a constant weight per element.
 *
 * <pre>
 *   mse:  l(a, x) = (a - x)^2                      a = activation(z)
 *   bce:  l(z, x) = -x log s(z) - (1 - x) log(1 - s(z)) = max(z, 0) - x z + log(1 + exp(-|z|))
 *   row score = elementWeight * sum_j l_j
 * </pre>
 *
 * {@code bce} is computed from the pre-activation {@code z} (the logits), so it stays finite where
 * the sigmoid saturates; it needs the sigmoid as the output activation and targets in [0, 1].
 * {@code elementWeight = 1 / D} (D elements per example) makes the row score the mean over the
 * example's elements; {@code elementWeight = 1} makes it the sum, which is the negative
 * log-likelihood the variational bound needs (Bernoulli for {@code bce}; for {@code mse} a Gaussian
 * of variance 1/2, up to the constant {@code D/2 ln(pi)}).
 *
 * <p>Under DL4J's {@code CnnLossLayer} the rows are the pixels ({@code [N*H*W, C]}) and the layer sums
 * the pixel rows of an example, so a weight of {@code 1 / (C*H*W)} again gives the mean over the
 * example. {@link #computeScore} with {@code average = false} is the sum over rows, which DL4J's
 * output layers divide by the minibatch size; {@link #computeGradient} is the gradient of that sum.
 * Label masks are rejected: every element of an example is reconstructed.
 */
public final class ReconstructionLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /** The element-wise loss. */
    public enum Kind {
        /** Squared error of the activated output. */
        MSE,
        /** Binary cross-entropy with logits; needs a sigmoid output and targets in [0, 1]. */
        BCE;

        /** The lower-case name used in configuration files ({@code "mse"}, {@code "bce"}). */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The kind called {@code key}.
         *
         * @throws IllegalArgumentException naming the valid keys if there is none
         */
        public static Kind of(String key) {
            for (Kind k : values()) {
                if (k.key().equals(key)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("reconstruction loss must be one of [mse, bce], got "
                    + (key == null ? "null" : "\"" + key + "\""));
        }
    }

    @JsonProperty("kind")
    private final Kind kind;
    @JsonProperty("elementWeight")
    private final double elementWeight;

    /**
     * @param kind          the element-wise loss
     * @param elementWeight the factor on every element's loss, finite and {@code > 0}
     */
    @JsonCreator
    public ReconstructionLoss(@JsonProperty("kind") Kind kind, @JsonProperty("elementWeight") double elementWeight) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (!(elementWeight > 0) || Double.isInfinite(elementWeight)) {
            throw new IllegalArgumentException("reconstruction loss elementWeight must be a finite number > 0, got "
                    + elementWeight);
        }
        this.elementWeight = elementWeight;
    }

    public Kind getKind() {
        return kind;
    }

    public double getElementWeight() {
        return elementWeight;
    }

    /**
     * The unweighted loss of every element, same shape as {@code labels} and {@code preOutput} (any
     * rank): the per-element reconstruction error that anomaly scores average.
     */
    public INDArray elementLosses(INDArray labels, INDArray preOutput, IActivation activationFn) {
        checkShapes(labels, preOutput);
        INDArray x = labels.castTo(preOutput.dataType());
        return switch (kind) {
            case MSE -> {
                INDArray d = activationFn.getActivation(preOutput.dup(), false).subi(x); // a - x
                yield d.muli(d);
            }
            case BCE -> {
                requireSigmoid(activationFn);
                requireUnitInterval(x);
                INDArray z = preOutput;
                INDArray softplusTail = Transforms.log1p(Transforms.exp(Transforms.abs(z, true).negi(), false), false);
                yield Transforms.relu(z, true).subi(x.mul(z)).addi(softplusTail);
            }
        };
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        INDArray rows = computeScoreArray(labels, preOutput, activationFn, mask);
        double sum = rows.sumNumber().doubleValue();
        return average ? sum / rows.size(0) : sum;
    }

    /** Row scores {@code elementWeight * sum_j l_j}, shape {@code [rows, 1]}. */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkMask(mask);
        checkRank2(preOutput);
        return elementLosses(labels, preOutput, activationFn).sum(true, 1).muli(elementWeight);
    }

    /** Gradient of the summed row scores with respect to {@code preOutput}, shape {@code [rows, columns]}. */
    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkMask(mask);
        checkRank2(preOutput);
        checkShapes(labels, preOutput);
        INDArray x = labels.castTo(preOutput.dataType());
        return switch (kind) {
            case MSE -> {
                INDArray a = activationFn.getActivation(preOutput.dup(), true);
                INDArray dLda = a.subi(x).muli(2.0 * elementWeight);                 // 2 w (a - x)
                yield activationFn.backprop(preOutput.dup(), dLda).getFirst();
            }
            case BCE -> {
                requireSigmoid(activationFn);
                requireUnitInterval(x);
                yield Transforms.sigmoid(preOutput, true).subi(x).muli(elementWeight); // w (s(z) - x)
            }
        };
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "reconstruction-" + kind.key();
    }

    private static void checkShapes(INDArray labels, INDArray preOutput) {
        if (labels == null || !Arrays.equals(labels.shape(), preOutput.shape())) {
            throw new IllegalArgumentException("reconstruction targets must have the output's shape "
                    + Arrays.toString(preOutput.shape()) + ", got "
                    + (labels == null ? "null" : Arrays.toString(labels.shape()))
                    + " (the labels of an autoencoder are the clean inputs)");
        }
    }

    private static void checkRank2(INDArray preOutput) {
        if (preOutput.rank() != 2) {
            throw new IllegalArgumentException("reconstruction loss expects a 2-d output [rows, columns], got shape "
                    + Arrays.toString(preOutput.shape()));
        }
    }

    private static void checkMask(INDArray mask) {
        if (mask != null) {
            throw new IllegalArgumentException("reconstruction loss does not take a labels mask (every element of "
                    + "an example is reconstructed), got mask of shape " + Arrays.toString(mask.shape()));
        }
    }

    private static void requireSigmoid(IActivation activationFn) {
        if (!(activationFn instanceof ActivationSigmoid)) {
            throw new IllegalArgumentException("bce reconstruction needs a sigmoid output activation, got "
                    + activationFn + " (set model.outputActivation: sigmoid, or use model.reconstructionLoss: mse)");
        }
    }

    private static void requireUnitInterval(INDArray x) {
        double min = x.minNumber().doubleValue();
        double max = x.maxNumber().doubleValue();
        if (!(min >= 0 && max <= 1)) {
            throw new IllegalArgumentException("bce reconstruction needs targets in [0, 1], got values in [" + min
                    + ", " + max + "] (scale the inputs to [0, 1], or use model.reconstructionLoss: mse)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReconstructionLoss other && kind == other.kind
                && Double.compare(elementWeight, other.elementWeight) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ReconstructionLoss.class, kind, elementWeight);
    }

    @Override
    public String toString() {
        return "ReconstructionLoss(kind=" + kind.key() + ", elementWeight=" + elementWeight + ")";
    }
}
