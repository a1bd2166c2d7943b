/**
 * Transformer building blocks as DL4J layers and graph vertices with hand-written, vectorised backprop
 * (SameDiff layers and DL4J's own attention layer return doubled gradients in 1.0.0-M2.1).
 *
 * <p>Sequences are {@code [batch, seq, features]} (DL4J's NWC recurrent format). A padding mask
 * {@code [batch, seq]} (1 = token, 0 = padding) travels as the features mask of the id input and reaches the
 * attention through DL4J's mask propagation. Each configuration class ({@link io.pretext.zoo.layers.LayerNorm},
 * ...) serialises in the graph JSON; its computation is the class of the same name with a {@code Layer}
 * suffix. Every layer and vertex is covered by a double-precision numerical gradient check and by a comparison
 * with a loop implementation of its definition.
 */
package io.pretext.zoo.layers;
