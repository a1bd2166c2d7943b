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
 * The position-wise feed-forward sub-layer of a post-LN transformer encoder block (BERT's "intermediate" and
 * "output"):
 *
 * <pre>
 *   x [batch, seq, hidden]
 *     -> y = LayerNorm(x + dropout(GELU(x W1 + b1) W2 + b2))      [batch, seq, hidden]
 * </pre>
 *
 * with the exact GELU {@code x Phi(x)}. Parameters: {@code W1} [hidden, intermediate], {@code b1}
 * [1, intermediate], {@code W2} [intermediate, hidden], {@code b2} [1, hidden], {@code gamma}, {@code beta}
 * [1, hidden]. A mask passes on unchanged. Dropout applies in training only.
 */
public class PositionwiseFeedForward extends NamedParamsLayer {

    public static final String IN_WEIGHT_KEY = "W1";
    public static final String IN_BIAS_KEY = "b1";
    public static final String OUT_WEIGHT_KEY = "W2";
    public static final String OUT_BIAS_KEY = "b2";
    public static final String GAMMA_KEY = "gamma";
    public static final String BETA_KEY = "beta";

    @JsonProperty("hiddenSize")
    private long hiddenSize;
    @JsonProperty("intermediateSize")
    private long intermediateSize;
    @JsonProperty("hiddenDropout")
    private double hiddenDropout;
    @JsonProperty("epsilon")
    private double epsilon;

    /** For JSON deserialisation. */
    public PositionwiseFeedForward() {
    }

    /**
     * @param hiddenSize       model width, {@code >= 1}
     * @param intermediateSize width of the GELU layer, {@code >= 1}
     * @param hiddenDropout    drop probability of the output before the residual sum, in [0, 1)
     * @param epsilon          layer-norm epsilon, {@code > 0}
     */
    public PositionwiseFeedForward(long hiddenSize, long intermediateSize, double hiddenDropout, double epsilon) {
        if (hiddenSize < 1 || intermediateSize < 1 || !(hiddenDropout >= 0 && hiddenDropout < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("PositionwiseFeedForward needs hiddenSize >= 1, intermediateSize >= 1, "
                    + "dropout in [0, 1) and epsilon > 0, got " + hiddenSize + ", " + intermediateSize + ", "
                    + hiddenDropout + ", " + epsilon);
        }
        this.hiddenSize = hiddenSize;
        this.intermediateSize = intermediateSize;
        this.hiddenDropout = hiddenDropout;
        this.epsilon = epsilon;
    }

    @Override
    public List<LayerParam> parameters() {
        return List.of(
                LayerParam.weight(IN_WEIGHT_KEY, hiddenSize, intermediateSize),
                LayerParam.bias(IN_BIAS_KEY, intermediateSize),
                LayerParam.weight(OUT_WEIGHT_KEY, intermediateSize, hiddenSize),
                LayerParam.bias(OUT_BIAS_KEY, hiddenSize),
                LayerParam.gain(GAMMA_KEY, hiddenSize),
                LayerParam.bias(BETA_KEY, hiddenSize));
    }

    @Override
    public long outputSize() {
        return hiddenSize;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
            DataType networkDataType) {
        PositionwiseFeedForwardLayer layer = new PositionwiseFeedForwardLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    public long getHiddenSize() {
        return hiddenSize;
    }

    public long getIntermediateSize() {
        return intermediateSize;
    }

    public double getHiddenDropout() {
        return hiddenDropout;
    }

    public double getEpsilon() {
        return epsilon;
    }

    @Override
    public PositionwiseFeedForward clone() {
        return (PositionwiseFeedForward) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PositionwiseFeedForward other && super.equals(o) && hiddenSize == other.hiddenSize
                && intermediateSize == other.intermediateSize
                && Double.compare(hiddenDropout, other.hiddenDropout) == 0
                && Double.compare(epsilon, other.epsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), hiddenSize, intermediateSize, hiddenDropout, epsilon);
    }
}
