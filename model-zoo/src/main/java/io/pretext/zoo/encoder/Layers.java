package io.pretext.zoo.encoder;

import io.pretext.zoo.layers.ConvBatchNorm;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * The layers the image encoders are made of. Each method adds one vertex named {@code name} and
 * returns that name. All tensors are NCHW, {@code [batch, channels, height, width]}.
 *
 * <p>Every {@code conv -> batch norm (-> ReLU)} is one {@link ConvBatchNorm} layer: DL4J 1.0.0-M2.1's
 * BatchNormalization ignores its activation function (a ReLU configured there silently does not run),
 * recomputes the convolution in backprop and computes batch statistics with slow kernels; the fused
 * layer avoids all three and is gradient-checked against DL4J's own three-layer block.
 */
final class Layers {

    private Layers() {
    }

    /**
     * Convolution without bias (the batch norm's shift replaces it), "same" padding for odd kernels, batch
     * normalisation over the channel axis, then ReLU when {@code relu}.
     */
    static String convBn(GraphBuilder graph, String name, String input, int kernel, int stride, int channels,
                         boolean relu) {
        graph.addLayer(name, new ConvBatchNorm.Builder(kernel, kernel)
                .stride(stride, stride)
                .padding(kernel / 2, kernel / 2)
                .nOut(channels)
                .relu(relu)
                .build(), input);
        return name;
    }

    /** A ReLU of its own, after a residual sum. */
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
}
