package io.pretext.zoo.encoder;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * Residual networks (He et al. 2016) as feature extractors, ending in global average pooling
 * (no classifier). Vertices of block {@code b} of stage {@code s} are named
 * {@code stage<s>-block<b>-<part>}; a block's projection shortcut (1x1 conv + batch norm, used
 * when the stride or the width changes) is {@code ...-shortcut-conv}, {@code ...-shortcut-bn}.
 * Stride 2 sits in the first 3x3 convolution of stages 2-4 (as in torchvision's ResNet).
 */
final class ResNet {

    static final int[] STAGE_WIDTHS = {64, 128, 256, 512};
    static final int BOTTLENECK_EXPANSION = 4;

    private ResNet() {
    }

    /**
     * Preset {@code resnet18-cifar}: 3x3 stride-1 stem (64), no max pool, basic blocks [2, 2, 2, 2].
     * {@code [B, C, H, W] -> [B, 512]}; the spatial size is halved in stages 2, 3 and 4.
     */
    static EncoderOutput resnet18Cifar(GraphBuilder graph, String input) {
        String x = Layers.convBn(graph, "stem", input, 3, 1, 64, true);
        int channels = 64;
        int[] blocks = {2, 2, 2, 2};
        for (int s = 0; s < blocks.length; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                x = basicBlock(graph, "stage" + (s + 1) + "-block" + (b + 1), x, channels, STAGE_WIDTHS[s], stride);
                channels = STAGE_WIDTHS[s];
            }
        }
        return new EncoderOutput(Layers.globalAvgPool(graph, "avgpool", x), channels);
    }

    /**
     * Preset {@code resnet50}: ImageNet stem (7x7 stride-2 conv, 3x3 stride-2 max pool), bottleneck
     * blocks [3, 4, 6, 3] with expansion 4. {@code [B, C, H, W] -> [B, 2048]}; the spatial size is
     * divided by 32 overall.
     */
    static EncoderOutput resnet50(GraphBuilder graph, String input) {
        String x = Layers.convBn(graph, "stem", input, 7, 2, 64, true);
        x = Layers.maxPool(graph, "stem-maxpool", x, 3, 2, 1);
        int channels = 64;
        int[] blocks = {3, 4, 6, 3};
        for (int s = 0; s < blocks.length; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                x = bottleneckBlock(graph, "stage" + (s + 1) + "-block" + (b + 1), x, channels, STAGE_WIDTHS[s],
                        stride);
                channels = STAGE_WIDTHS[s] * BOTTLENECK_EXPANSION;
            }
        }
        return new EncoderOutput(Layers.globalAvgPool(graph, "avgpool", x), channels);
    }

    /** {@code relu(bn(conv3x3(relu(bn(conv3x3(x))))) + shortcut(x))}, each conv+bn(+relu) one fused layer, {@code out} channels. */
    private static String basicBlock(GraphBuilder graph, String name, String input, int in, int out, int stride) {
        String x = Layers.convBn(graph, name + "-conv1", input, 3, stride, out, true);
        x = Layers.convBn(graph, name + "-conv2", x, 3, 1, out, false);
        String sum = Layers.add(graph, name + "-add", x, shortcut(graph, name, input, in, out, stride));
        return Layers.relu(graph, name + "-relu", sum);
    }

    /** {@code 1x1 (width) -> 3x3 (width, stride) -> 1x1 (4 width)}, each with batch norm, plus shortcut. */
    private static String bottleneckBlock(GraphBuilder graph, String name, String input, int in, int width,
            int stride) {
        int out = width * BOTTLENECK_EXPANSION;
        String x = Layers.convBn(graph, name + "-conv1", input, 1, 1, width, true);
        x = Layers.convBn(graph, name + "-conv2", x, 3, stride, width, true);
        x = Layers.convBn(graph, name + "-conv3", x, 1, 1, out, false);
        String sum = Layers.add(graph, name + "-add", x, shortcut(graph, name, input, in, out, stride));
        return Layers.relu(graph, name + "-relu", sum);
    }

    /** Identity when shapes agree, else a strided 1x1 projection with batch norm. */
    private static String shortcut(GraphBuilder graph, String name, String input, int in, int out, int stride) {
        if (stride == 1 && in == out) {
            return input;
        }
        return Layers.convBn(graph, name + "-shortcut", input, 1, stride, out, false);
    }
}
