package io.pretext.zoo.encoder;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * The image encoders, by preset name. Each adds its vertices after an NCHW image input vertex
 * and ends in global average pooling; convolutions followed by batch norm have no bias.
 */
public enum EncoderPreset {

    /** 3 conv-BN-ReLU blocks (32/64/128) with max pooling between them; 128 features. */
    SMALL_CNN("small-cnn", SmallCnn.FEATURE_SIZE, 4, SmallCnn::addTo),
    /** CIFAR ResNet-18: 3x3 stride-1 stem, no max pool, basic blocks [2,2,2,2]; 512 features. */
    RESNET18_CIFAR("resnet18-cifar", 512, 8, ResNet::resnet18Cifar),
    /** ImageNet ResNet-50: 7x7/2 stem + max pool, bottleneck blocks [3,4,6,3]; 2048 features. */
    RESNET50("resnet50", 2048, 32, ResNet::resnet50);

    private final String key;
    private final long featureSize;
    private final int minInputSize;
    private final BiFunction<GraphBuilder, String, EncoderOutput> builder;

    EncoderPreset(String key, long featureSize, int minInputSize,
            BiFunction<GraphBuilder, String, EncoderOutput> builder) {
        this.key = key;
        this.featureSize = featureSize;
        this.minInputSize = minInputSize;
        this.builder = builder;
    }

    /** The preset's name in configuration files, e.g. {@code "resnet18-cifar"}. */
    public String key() {
        return key;
    }

    /** Length of the pooled feature vector. */
    public long featureSize() {
        return featureSize;
    }

    /**
     * Smallest image height and width the preset is meant for: the encoder halves the image
     * log2 of this many times, and below it the last stage would see less than one pixel.
     */
    public int minInputSize() {
        return minInputSize;
    }

    /**
     * Adds the encoder to {@code graph} after {@code input}, a vertex or network input carrying
     * images {@code [batch, channels, height, width]} (the graph's input types must be set so
     * that layer sizes can be inferred).
     *
     * @return the pooled output vertex, {@code [batch, featureSize()]}
     */
    public EncoderOutput addTo(GraphBuilder graph, String input) {
        EncoderOutput out = builder.apply(graph, input);
        if (out.featureSize() != featureSize) {
            throw new IllegalStateException("encoder " + key + " built " + out.featureSize()
                    + " features, its preset says " + featureSize);
        }
        return out;
    }

    /** All preset names. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(EncoderPreset::key).toList();
    }

    /**
     * The preset called {@code key}.
     *
     * @throws IllegalArgumentException naming the valid presets if there is none
     */
    public static EncoderPreset of(String key) {
        for (EncoderPreset p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("model.encoder must be one of " + keys() + ", got "
                + (key == null ? "null" : "\"" + key + "\"") + " (set it in the model: section)");
    }
}
