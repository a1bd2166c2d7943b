package io.pretext.zoo.encoder;

/**
 * Where an encoder ends in a graph: the name of its output vertex, whose activations are the
 * pooled features {@code [batch, featureSize]}.
 */
public record EncoderOutput(String vertex, long featureSize) {

    public EncoderOutput {
        if (vertex == null || vertex.isEmpty()) {
            throw new IllegalStateException("encoder output vertex name is empty");
        }
        if (featureSize <= 0) {
            throw new IllegalStateException("encoder feature size must be > 0, got " + featureSize);
        }
    }
}
