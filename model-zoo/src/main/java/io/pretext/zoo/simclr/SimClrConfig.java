package io.pretext.zoo.simclr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.pretext.zoo.encoder.EncoderPreset;
import org.deeplearning4j.nn.weights.WeightInit;

/**
 * The SimCLR model (YAML section {@code model:}).
 *
 * <ul>
 *   <li>{@code encoder}: preset name, one of {@link EncoderPreset#keys()}.</li>
 *   <li>{@code channels}, {@code height}, {@code width}: input images {@code [N, channels, height,
 *       width]}, floats in [0, 1].</li>
 *   <li>{@code projectionHiddenSize}, {@code projectionSize}: the MLP head
 *       {@code Dense(hidden, ReLU) -> Dense(projectionSize)}. SimCLR uses hidden = the encoder's
 *       feature size (128 for small-cnn, 512 for resnet18-cifar, 2048 for resnet50).</li>
 *   <li>{@code temperature}: NT-Xent temperature {@code tau}.</li>
 *   <li>{@code weightInit}: initialisation of convolution and dense weights, one of
 *       {@link #WEIGHT_INITS}' keys ({@code relu} = He normal).</li>
 *   <li>{@code seed}: seed of the weight initialisation.</li>
 * </ul>
 *
 * Weight decay belongs to the optimizer ({@code optimizer.weightDecay}), not to the model.
 */
public record SimClrConfig(String encoder, int channels, int height, int width, int projectionHiddenSize,
        int projectionSize, double temperature, String weightInit, long seed) {

    /** Weight initialisations by configuration name. */
    public static final Map<String, WeightInit> WEIGHT_INITS = weightInits();

    public SimClrConfig {
        EncoderPreset preset = EncoderPreset.of(encoder);
        if (channels < 1) {
            throw new IllegalArgumentException("model.channels must be >= 1, got " + channels
                    + " (set it in the model: section: 1 for grey, 3 for RGB images)");
        }
        int min = preset.minInputSize();
        if (height < min) {
            throw new IllegalArgumentException("model.height must be >= " + min + " for encoder " + encoder
                    + ", got " + height + " (set it in the model: section, or resize the images)");
        }
        if (width < min) {
            throw new IllegalArgumentException("model.width must be >= " + min + " for encoder " + encoder
                    + ", got " + width + " (set it in the model: section, or resize the images)");
        }
        if (projectionHiddenSize < 1) {
            throw new IllegalArgumentException("model.projectionHiddenSize must be >= 1, got " + projectionHiddenSize
                    + " (set it in the model: section, e.g. " + preset.featureSize() + " for " + encoder + ")");
        }
        if (projectionSize < 1) {
            throw new IllegalArgumentException("model.projectionSize must be >= 1, got " + projectionSize
                    + " (set it in the model: section, e.g. 128)");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("model.temperature must be > 0, got " + temperature
                    + " (set it in the model: section, e.g. 0.5)");
        }
        if (weightInit == null || !WEIGHT_INITS.containsKey(weightInit)) {
            throw new IllegalArgumentException("model.weightInit must be one of " + WEIGHT_INITS.keySet()
                    + ", got " + (weightInit == null ? "null" : "\"" + weightInit + "\"")
                    + " (set it in the model: section)");
        }
    }

    /**
     * small-cnn on 3x32x32 images, head 128 -> 128, temperature 0.5, He initialisation, seed 42:
     * the setting of SimCLR's small-image experiments scaled to the small encoder.
     */
    public static SimClrConfig defaults() {
        return new SimClrConfig(EncoderPreset.SMALL_CNN.key(), 3, 32, 32, 128, 128, 0.5, "relu", 42L);
    }

    /** The encoder preset named by {@link #encoder()}. */
    public EncoderPreset encoderPreset() {
        return EncoderPreset.of(encoder);
    }

    /** The DL4J weight initialisation named by {@link #weightInit()}. */
    public WeightInit weightInitScheme() {
        return WEIGHT_INITS.get(weightInit);
    }

    private static Map<String, WeightInit> weightInits() {
        Map<String, WeightInit> m = new LinkedHashMap<>();
        m.put("relu", WeightInit.RELU);
        m.put("relu-uniform", WeightInit.RELU_UNIFORM);
        m.put("xavier", WeightInit.XAVIER);
        m.put("xavier-uniform", WeightInit.XAVIER_UNIFORM);
        m.put("lecun-normal", WeightInit.LECUN_NORMAL);
        return Collections.unmodifiableMap(m);
    }
}
