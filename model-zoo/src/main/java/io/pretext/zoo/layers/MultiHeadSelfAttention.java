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
 * The self-attention sub-layer of a post-LN transformer encoder block (BERT's "attention" with its output
 * projection, residual connection and layer norm):
 *
 * <pre>
 *   x [batch, seq, hidden], padding mask m [batch, seq] (1 = token, 0 = padding; the features mask of the ids)
 *   q, k, v = split(x Wqkv + bqkv)                         each [batch, heads, seq, hidden/heads]
 *   a = softmax(q k^T / sqrt(hidden/heads) + (m - 1) 1e9)  [batch, heads, seq, seq]  (padded keys: exactly 0)
 *   c = concat_heads(dropout_attention(a) v)               [batch, seq, hidden]
 *   y = LayerNorm(x + dropout_hidden(c Wo + bo))            [batch, seq, hidden]
 * </pre>
 *
 * Parameters: {@code Wqkv} [hidden, 3 hidden] (queries, keys, values side by side, each split into heads of
 * consecutive columns), {@code bqkv} [1, 3 hidden], {@code Wo} [hidden, hidden], {@code bo} [1, hidden],
 * {@code gamma}, {@code beta} [1, hidden]. Without a mask every position is attended to. The mask passes on
 * unchanged. Dropout applies in training only.
 */
public class MultiHeadSelfAttention extends NamedParamsLayer {

    public static final String QKV_WEIGHT_KEY = "Wqkv";
    public static final String QKV_BIAS_KEY = "bqkv";
    public static final String OUTPUT_WEIGHT_KEY = "Wo";
    public static final String OUTPUT_BIAS_KEY = "bo";
    public static final String GAMMA_KEY = "gamma";
    public static final String BETA_KEY = "beta";

    @JsonProperty("hiddenSize")
    private long hiddenSize;
    @JsonProperty("heads")
    private int heads;
    @JsonProperty("attentionDropout")
    private double attentionDropout;
    @JsonProperty("hiddenDropout")
    private double hiddenDropout;
    @JsonProperty("epsilon")
    private double epsilon;

    /** For JSON deserialisation. */
    public MultiHeadSelfAttention() {
    }

    /**
     * @param hiddenSize       model width, a multiple of {@code heads}
     * @param heads            number of attention heads, {@code >= 1}
     * @param attentionDropout drop probability of attention weights, in [0, 1)
     * @param hiddenDropout    drop probability of the projected output before the residual sum, in [0, 1)
     * @param epsilon          layer-norm epsilon, {@code > 0}
     */
    public MultiHeadSelfAttention(long hiddenSize, int heads, double attentionDropout, double hiddenDropout,
            double epsilon) {
        if (heads < 1 || hiddenSize < 1 || hiddenSize % heads != 0) {
            throw new IllegalArgumentException("MultiHeadSelfAttention needs hiddenSize >= 1 divisible by heads >= 1, "
                    + "got hiddenSize " + hiddenSize + " and " + heads + " heads");
        }
        if (!(attentionDropout >= 0 && attentionDropout < 1) || !(hiddenDropout >= 0 && hiddenDropout < 1)
                || !(epsilon > 0)) {
            throw new IllegalArgumentException("MultiHeadSelfAttention needs dropouts in [0, 1) and epsilon > 0, got "
                    + attentionDropout + ", " + hiddenDropout + ", " + epsilon);
        }
        this.hiddenSize = hiddenSize;
        this.heads = heads;
        this.attentionDropout = attentionDropout;
        this.hiddenDropout = hiddenDropout;
        this.epsilon = epsilon;
    }

    @Override
    public List<LayerParam> parameters() {
        return List.of(
                LayerParam.weight(QKV_WEIGHT_KEY, hiddenSize, 3 * hiddenSize),
                LayerParam.bias(QKV_BIAS_KEY, 3 * hiddenSize),
                LayerParam.weight(OUTPUT_WEIGHT_KEY, hiddenSize, hiddenSize),
                LayerParam.bias(OUTPUT_BIAS_KEY, hiddenSize),
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
        MultiHeadSelfAttentionLayer layer = new MultiHeadSelfAttentionLayer(conf, networkDataType);
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

    public int getHeads() {
        return heads;
    }

    public double getAttentionDropout() {
        return attentionDropout;
    }

    public double getHiddenDropout() {
        return hiddenDropout;
    }

    public double getEpsilon() {
        return epsilon;
    }

    @Override
    public MultiHeadSelfAttention clone() {
        return (MultiHeadSelfAttention) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiHeadSelfAttention other && super.equals(o) && hiddenSize == other.hiddenSize
                && heads == other.heads && Double.compare(attentionDropout, other.attentionDropout) == 0
                && Double.compare(hiddenDropout, other.hiddenDropout) == 0
                && Double.compare(epsilon, other.epsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), hiddenSize, heads, attentionDropout, hiddenDropout, epsilon);
    }
}
