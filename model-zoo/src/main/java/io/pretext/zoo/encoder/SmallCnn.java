package io.pretext.zoo.encoder;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * Preset {@code small-cnn}: three {@code conv3x3 -> batch norm -> ReLU} blocks (each one fused layer, named
 * {@code block1..3}) of 32, 64 and 128 channels, a 2x2 max pool between blocks, then global average pooling to
 * 128 features.
 *
 * <pre>
 *   [B, C, H, W] -> block1 [B, 32, H, W] -> maxpool [B, 32, H/2, W/2]
 *                -> block2 [B, 64, H/2, W/2] -> maxpool [B, 64, H/4, W/4]
 *                -> block3 [B, 128, H/4, W/4] -> avgpool [B, 128]
 * </pre>
 */
final class SmallCnn {

    static final int[] CHANNELS = {32, 64, 128};
    static final long FEATURE_SIZE = 128;

    private SmallCnn() {
    }

    static EncoderOutput addTo(GraphBuilder graph, String input) {
        String x = input;
        for (int b = 0; b < CHANNELS.length; b++) {
            String block = "block" + (b + 1);
            if (b > 0) {
                x = Layers.maxPool(graph, "block" + b + "-maxpool", x, 2, 2, 0);
            }
            x = Layers.convBn(graph, block, x, 3, 1, CHANNELS[b], true);
        }
        return new EncoderOutput(Layers.globalAvgPool(graph, "avgpool", x), FEATURE_SIZE);
    }
}
