package io.pretext.zoo.encoder;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * The layers the image encoders are made of. Each method adds one vertex named {@code name} and
 * returns that name. All tensors are NCHW, {@code [batch, channels, height, width]}.
 *
 * <p>DL4J 1.0.0-M2.1's BatchNormalization layer ignores its activation function (its forward
 * pass returns the normalised input), so a ReLU after batch norm is its own
 * {@link ActivationLayer}; a ReLU fused into the batch-norm configuration would silently not run.
 */
final class Layers {

    private Layers() {
    }

    /** Convolution without bias (a batch norm follows and has its own shift), "same" padding for odd kernels. */
    static String conv(GraphBuilder graph, String name, String input, int kernel, int stride, int channels) {
        graph.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel)
                .stride(stride, stride)
                .padding(kernel / 2, kernel / 2)
                .nOut(channels)
                .hasBias(false)
                .activation(Activation.IDENTITY)
                .build(), input);
        return name;
    }

    /** Batch normalisation over the channel axis, statistics over batch, height and width. */
    static String batchNorm(GraphBuilder graph, String name, String input) {
        graph.addLayer(name, new BatchNormalization.Builder().build(), input);
        return name;
    }

    static String relu(GraphBuilder graph, String name, String input) {
        graph.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), input);
        return name;
    }

    /** Max pooling, {@code kernel x kernel} window, padding {@code pad}. */
    static String maxPool(GraphBuilder graph, String name, String input, int kernel, int stride, int pad) {
        graph.addLayer(name, new SubsamplingLayer.Builder(PoolingType.MAX)
                .kernelSize(kernel, kernel)
                .stride(stride, stride)
                .padding(pad, pad)
                .build(), input);
        return name;
    }

    /** Global average pooling: {@code [batch, C, H, W] -> [batch, C]}. */
    static String globalAvgPool(GraphBuilder graph, String name, String input) {
        graph.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), input);
        return name;
    }

    /** Element-wise sum of two equally shaped activations (a residual connection). */
    static String add(GraphBuilder graph, String name, String a, String b) {
        graph.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), a, b);
        return name;
    }

    /** {@code conv -> batch norm -> ReLU}, named {@code prefix-conv}, {@code prefix-bn}, {@code prefix-relu}. */
    static String convBnRelu(GraphBuilder graph, String prefix, String input, int kernel, int stride, int channels) {
        String x = conv(graph, prefix + "-conv", input, kernel, stride, channels);
        x = batchNorm(graph, prefix + "-bn", x);
        return relu(graph, prefix + "-relu", x);
    }
}
