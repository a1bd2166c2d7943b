package io.pretext.zoo.layers;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exact GELU, {@code x Phi(x)} with the standard normal CDF {@code Phi(x) = (1 + erf(x / sqrt 2)) / 2}, as
 * BERT uses it. DL4J's {@code Activation.GELU} is the approximation {@code x sigmoid(1.702 x)}, and its precise
 * variant the tanh approximation.
 */
public class ActivationErfGelu extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        TransformerMath.gelu(in, in);
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        INDArray grad = epsilon.dup();
        TransformerMath.geluBackward(in, null, grad);
        return new Pair<>(grad, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActivationErfGelu;
    }

    @Override
    public int hashCode() {
        return ActivationErfGelu.class.hashCode();
    }

    @Override
    public String toString() {
        return "gelu(erf)";
    }
}
