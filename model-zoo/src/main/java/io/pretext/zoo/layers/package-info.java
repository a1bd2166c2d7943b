/**
 * Custom DL4J layers. Each passes DL4J's numerical gradient check in double precision and
 * round-trips through {@code ModelSerializer} with its graph.
 *
 * <p>{@link io.pretext.zoo.layers.ConvBatchNorm} exists for speed: DL4J's own convolution, batch-norm
 * and activation layers spend most of a CPU training step outside the convolutions (a repeated
 * forward convolution in backprop, strided reductions and broadcasts, a copying ReLU layer).
 */
package io.pretext.zoo.layers;
