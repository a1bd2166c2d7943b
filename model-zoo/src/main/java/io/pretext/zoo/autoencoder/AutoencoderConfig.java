package io.pretext.zoo.autoencoder;

import java.io.Serializable;
import java.util.List;

import io.pretext.zoo.loss.ReconstructionLoss;
import io.pretext.zoo.simclr.SimClrConfig;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * An autoencoder (YAML section {@code model:}).
 *
 * <ul>
 *   <li>{@code kind}: {@code ae} (plain), {@code dae} (denoising: the same graph, trained on corrupted
 *       inputs against clean targets; the corruption is the data's {@code corrupt:} section) or
 *       {@code vae} (variational: Gaussian latent, loss reconstruction + weighted KL).</li>
 *   <li>{@code architecture}: {@code dense} (fully connected) or {@code conv} (convolutional, images
 *       only).</li>
 *   <li>{@code inputShape}: one example: {@code [channels, height, width]} for images (values in
 *       [0, 1], batches {@code [N, C, H, W]}, for both architectures), {@code [features]} for numeric
 *       vectors (batches {@code [N, F]}), or {@code []} when the job takes it from the data (the number
 *       of feature columns) with {@link #withInputShape} before building.</li>
 *   <li>{@code hiddenSizes}: widths of the fully connected hidden layers of the encoder, first to last;
 *       the decoder mirrors them. With {@code conv} they sit between the flattened convolution output
 *       and the latent layer. May be empty.</li>
 *   <li>{@code convChannels}: {@code conv} only: output channels of the encoder's 3x3 stride-2
 *       convolutions, one per stage; each stage halves height and width, so both must be divisible by
 *       {@code 2^stages}. The decoder mirrors them with 2x nearest upsampling and 3x3 convolutions.</li>
 *   <li>{@code latentSize}: width of the bottleneck code (the latent dimension of a vae).</li>
 *   <li>{@code reconstructionLoss}: {@code mse} or {@code bce}; {@code bce} needs inputs in [0, 1] and
 *       {@code outputActivation: sigmoid}. ae/dae train on the mean over an example's elements, vae
 *       on the sum (the negative log-likelihood of its bound); see {@link ReconstructionLoss}.</li>
 *   <li>{@code outputActivation}: {@code sigmoid} (outputs in (0, 1), for inputs in [0, 1]) or
 *       {@code identity} (unbounded, for standardised features).</li>
 *   <li>{@code beta}, {@code klWarmupSteps}: vae only (ignored otherwise): the KL weight after the
 *       warm-up and the optimizer steps of its linear ramp from 0; see {@link KlWarmup}.</li>
 *   <li>{@code weightInit}: initialisation of every weight, one of {@link SimClrConfig#WEIGHT_INITS}'
 *       keys ({@code relu} = He normal); {@code seed}: its seed.</li>
 * </ul>
 *
 * Keys that only another kind or architecture reads ({@code beta}, {@code klWarmupSteps},
 * {@code convChannels}) are ignored, not rejected, so that switching kind keeps a preset's other
 * settings. Presets: {@link AutoencoderPreset}. Serializable, so that distributed training and scoring can ship it
 * to their workers.
 */
public record AutoencoderConfig(String kind, String architecture, List<Integer> inputShape, List<Integer> hiddenSizes,
        List<Integer> convChannels, int latentSize, String reconstructionLoss, String outputActivation, double beta,
        long klWarmupSteps, String weightInit, long seed) implements Serializable {

    public static final List<String> KINDS = List.of("ae", "dae", "vae");
    public static final List<String> ARCHITECTURES = List.of("dense", "conv");
    public static final List<String> RECONSTRUCTION_LOSSES = List.of("mse", "bce");
    public static final List<String> OUTPUT_ACTIVATIONS = List.of("sigmoid", "identity");

    private static final String FIX = " (set it in the model: section)";

    public AutoencoderConfig {
        requireOneOf("kind", kind, KINDS);
        requireOneOf("architecture", architecture, ARCHITECTURES);
        inputShape = positives("inputShape", inputShape);
        hiddenSizes = positives("hiddenSizes", hiddenSizes);
        convChannels = positives("convChannels", convChannels);
        if (inputShape.size() == 2 || inputShape.size() > 3) {
            throw new IllegalArgumentException("model.inputShape must be [channels, height, width] for images or "
                    + "[features] for numeric vectors (or [] to take it from the data), got " + inputShape + FIX);
        }
        if (architecture.equals("conv")) {
            if (inputShape.size() != 3) {
                throw new IllegalArgumentException("model.inputShape must be [channels, height, width] for "
                        + "architecture conv, got " + inputShape
                        + " (set it in the model: section, or use architecture: dense for feature vectors)");
            }
            if (convChannels.isEmpty()) {
                throw new IllegalArgumentException("model.convChannels must list at least one stage for architecture "
                        + "conv, got [] (set it in the model: section, e.g. [32, 64])");
            }
            int factor = 1 << convChannels.size();
            for (int axis = 1; axis <= 2; axis++) {
                int size = inputShape.get(axis);
                if (size % factor != 0) {
                    throw new IllegalArgumentException("model.inputShape " + (axis == 1 ? "height" : "width")
                            + " must be divisible by 2^" + convChannels.size() + " = " + factor
                            + " (one halving per entry of model.convChannels " + convChannels + "), got " + size
                            + " (resize the images, or use fewer convChannels stages)");
                }
            }
        }
        if (latentSize < 1) {
            throw new IllegalArgumentException("model.latentSize must be >= 1, got " + latentSize
                    + " (set it in the model: section, e.g. 32)");
        }
        requireOneOf("reconstructionLoss", reconstructionLoss, RECONSTRUCTION_LOSSES);
        requireOneOf("outputActivation", outputActivation, OUTPUT_ACTIVATIONS);
        if (reconstructionLoss.equals("bce") && !outputActivation.equals("sigmoid")) {
            throw new IllegalArgumentException("model.outputActivation must be sigmoid when "
                    + "model.reconstructionLoss is bce, got \"" + outputActivation
                    + "\" (bce compares probabilities: set outputActivation: sigmoid, or reconstructionLoss: mse)");
        }
        new KlWarmup(beta, klWarmupSteps);
        if (weightInit == null || !SimClrConfig.WEIGHT_INITS.containsKey(weightInit)) {
            throw new IllegalArgumentException("model.weightInit must be one of " + SimClrConfig.WEIGHT_INITS.keySet()
                    + ", got " + quoted(weightInit) + FIX);
        }
    }

    /** Preset {@code ae-mnist}: a dense autoencoder of 28x28 grey images with a 32-wide code. */
    public static AutoencoderConfig defaults() {
        return AutoencoderPreset.AE_MNIST.config();
    }

    /** This configuration with another input shape, e.g. {@code [columns]} once the data is read. */
    public AutoencoderConfig withInputShape(List<Integer> shape) {
        return new AutoencoderConfig(kind, architecture, shape, hiddenSizes, convChannels, latentSize,
                reconstructionLoss, outputActivation, beta, klWarmupSteps, weightInit, seed);
    }

    /** This configuration with another kind ({@code ae}, {@code dae} or {@code vae}). */
    public AutoencoderConfig withKind(String newKind) {
        return new AutoencoderConfig(newKind, architecture, inputShape, hiddenSizes, convChannels, latentSize,
                reconstructionLoss, outputActivation, beta, klWarmupSteps, weightInit, seed);
    }

    /** Whether this is a variational autoencoder. */
    public boolean isVariational() {
        return kind.equals("vae");
    }

    /** Whether training inputs are corrupted copies of the targets. */
    public boolean isDenoising() {
        return kind.equals("dae");
    }

    public boolean isConvolutional() {
        return architecture.equals("conv");
    }

    /** Whether an example is an image {@code [C, H, W]} (otherwise a feature vector {@code [F]}). */
    public boolean isImage() {
        return inputShape.size() == 3;
    }

    /** Whether the input shape is known ({@code inputShape} is not empty). */
    public boolean hasInputShape() {
        return !inputShape.isEmpty();
    }

    /** Elements of one example, {@code D = C*H*W} or {@code F}. */
    public long inputSize() {
        requireInputShape();
        long size = 1;
        for (int s : inputShape) {
            size *= s;
        }
        return size;
    }

    /** The shape of a batch of {@code n} examples: {@code [n, C, H, W]} or {@code [n, F]}. */
    public long[] batchShape(long n) {
        requireInputShape();
        long[] shape = new long[inputShape.size() + 1];
        shape[0] = n;
        for (int i = 0; i < inputShape.size(); i++) {
            shape[i + 1] = inputShape.get(i);
        }
        return shape;
    }

    /** The reconstruction loss's element-wise kind. */
    public ReconstructionLoss.Kind reconstructionKind() {
        return ReconstructionLoss.Kind.of(reconstructionLoss);
    }

    /**
     * The training reconstruction loss: mean over an example's elements for ae/dae
     * ({@code elementWeight = 1/D}), sum for vae ({@code elementWeight = 1}).
     */
    public ReconstructionLoss trainingLoss() {
        return new ReconstructionLoss(reconstructionKind(), isVariational() ? 1.0 : 1.0 / inputSize());
    }

    /** The output activation. */
    public Activation outputActivationFunction() {
        return outputActivation.equals("sigmoid") ? Activation.SIGMOID : Activation.IDENTITY;
    }

    /** The KL weight schedule (used by vae). */
    public KlWarmup klWarmup() {
        return new KlWarmup(beta, klWarmupSteps);
    }

    /** The DL4J weight initialisation named by {@link #weightInit()}. */
    public WeightInit weightInitScheme() {
        return SimClrConfig.WEIGHT_INITS.get(weightInit);
    }

    /**
     * @throws IllegalArgumentException when {@code inputShape} is still empty
     */
    void requireInputShape() {
        if (inputShape.isEmpty()) {
            throw new IllegalArgumentException("model.inputShape is [] (taken from the data) and was not resolved: "
                    + "set it in the model: section, e.g. [30] for 30 feature columns, or resolve it from the data "
                    + "with withInputShape(...) before building the graph");
        }
    }

    private static void requireOneOf(String key, String value, List<String> valid) {
        if (value == null || !valid.contains(value)) {
            throw new IllegalArgumentException("model." + key + " must be one of " + valid + ", got " + quoted(value)
                    + FIX);
        }
    }

    private static List<Integer> positives(String key, List<Integer> values) {
        if (values == null) {
            throw new IllegalArgumentException("model." + key + " must be a list, got null" + FIX);
        }
        for (Integer v : values) {
            if (v == null || v < 1) {
                throw new IllegalArgumentException("model." + key + " entries must be integers >= 1, got " + values
                        + FIX);
            }
        }
        return List.copyOf(values);
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
