/**
 * Custom DL4J layers and graph vertices with hand-written, vectorised backprop. Each passes DL4J's numerical
 * gradient check in double precision inside a graph and round-trips through {@code ModelSerializer}.
 *
 * <p>{@link io.pretext.zoo.layers.ConvBatchNorm} exists for speed: DL4J's own convolution, batch-norm and
 * activation layers spend most of a CPU training step outside the convolutions (a repeated forward convolution
 * in backprop, strided reductions and broadcasts, a copying ReLU layer), and its batch norm ignores its
 * activation.
 *
 * <p>The transformer blocks exist for correctness: SameDiff layers and DL4J's own attention layer return doubled
 * gradients in 1.0.0-M2.1. Sequences are {@code [batch, seq, features]} (DL4J's NWC recurrent format). A padding
 * mask {@code [batch, seq]} (1 = token, 0 = padding) travels as the features mask of the id input and reaches the
 * attention through DL4J's mask propagation. Each configuration class ({@link io.pretext.zoo.layers.LayerNorm},
 * ...) serialises in the graph JSON; its computation is the class of the same name with a {@code Layer} suffix,
 * and is also compared with a loop implementation of its definition.
 */
package io.pretext.zoo.layers;
