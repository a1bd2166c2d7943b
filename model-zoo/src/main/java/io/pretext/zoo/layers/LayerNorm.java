package io.pretext.zoo.layers;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Layer normalisation over the last axis, then (in training) inverted dropout:
 *
 * <pre>
 *   x [..., size]  ([batch, seq, size] or [rows, size])
 *     -> y = dropout(gamma * (x - mean(x)) / sqrt(var(x) + epsilon) + beta)      [..., size]
 * </pre>
 *
 * with the mean and biased variance of each position's {@code size} values. Parameters {@code gamma} (ones)
 * and {@code beta} (zeros), each [1, size]. A mask passes on unchanged.
 */
public class LayerNorm extends NamedParamsLayer {

    public static final String GAMMA_KEY = "gamma";
    public static final String BETA_KEY = "beta";

    @JsonProperty("size")
    private long size;
    @JsonProperty("epsilon")
    private double epsilon;
    @JsonProperty("dropout")
    private double dropout;

    /** For JSON deserialisation. */
    public LayerNorm() {
    }

    /**
     * @param size    the normalised (last) axis, {@code >= 1}
     * @param epsilon added to the variance, {@code > 0}
     * @param dropout drop probability applied to the output in training, in [0, 1)
     */
    public LayerNorm(long size, double epsilon, double dropout) {
        if (size < 1 || !(epsilon > 0) || !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LayerNorm needs size >= 1, epsilon > 0 and dropout in [0, 1), got "
                    + size + ", " + epsilon + ", " + dropout);
        }
        this.size = size;
        this.epsilon = epsilon;
        this.dropout = dropout;
    }

    @Override
    public List<LayerParam> parameters() {
        return List.of(LayerParam.gain(GAMMA_KEY, size), LayerParam.bias(BETA_KEY, size));
    }

    @Override
    public long outputSize() {
        return size;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
            DataType networkDataType) {
        LayerNormLayer layer = new LayerNormLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    public long getSize() {
        return size;
    }

    public double getEpsilon() {
        return epsilon;
    }

    public double getDropout() {
        return dropout;
    }

    @Override
    public LayerNorm clone() {
        return (LayerNorm) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerNorm other && super.equals(o) && size == other.size
                && Double.compare(epsilon, other.epsilon) == 0 && Double.compare(dropout, other.dropout) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), size, epsilon, dropout);
    }
}
