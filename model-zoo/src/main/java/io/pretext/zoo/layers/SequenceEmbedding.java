package io.pretext.zoo.layers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Embedding of integer ids by table lookup, with an optional learned position embedding added:
 *
 * <pre>
 *   ids [batch, seq]  (any numeric type, integral values in [0, vocabSize))
 *     -> out[b, t, :] = W[ids[b, t], :] (+ positions[t, :])      [batch, seq, size]
 * </pre>
 *
 * Parameters: {@code W} [vocabSize, size]; {@code positions} [maxPositions, size] when {@code maxPositions > 0}.
 * The gradient of {@code W} is a scatter-add over the ids, exact with repeated ids. The input's mask (a
 * {@code [batch, seq]} padding mask given as the features mask of the ids) passes on unchanged.
 *
 * <p>{@code W} can double as the weight of an output projection ({@link TiedProjectionVertex}): the projection
 * reads it from this layer and adds its share of the gradient here.
 */
public class SequenceEmbedding extends NamedParamsLayer {

    public static final String WEIGHT_KEY = "W";
    public static final String POSITIONS_KEY = "positions";

    @JsonProperty("vocabSize")
    private long vocabSize;
    @JsonProperty("size")
    private long size;
    @JsonProperty("maxPositions")
    private long maxPositions;

    /** For JSON deserialisation. */
    public SequenceEmbedding() {
    }

    /**
     * @param vocabSize    number of distinct ids, {@code >= 1}
     * @param size         embedding size, {@code >= 1}
     * @param maxPositions length of the position table, {@code 0} for none; sequences may not be longer
     */
    public SequenceEmbedding(long vocabSize, long size, long maxPositions) {
        if (vocabSize < 1 || size < 1 || maxPositions < 0) {
            throw new IllegalArgumentException("SequenceEmbedding needs vocabSize >= 1, size >= 1 and maxPositions "
                    + ">= 0, got " + vocabSize + ", " + size + ", " + maxPositions);
        }
        this.vocabSize = vocabSize;
        this.size = size;
        this.maxPositions = maxPositions;
    }

    @Override
    public List<LayerParam> parameters() {
        List<LayerParam> params = new ArrayList<>();
        params.add(LayerParam.weight(WEIGHT_KEY, vocabSize, size));
        if (maxPositions > 0) {
            params.add(LayerParam.weight(POSITIONS_KEY, maxPositions, size));
        }
        return params;
    }

    @Override
    public long outputSize() {
        return size;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
            DataType networkDataType) {
        SequenceEmbeddingLayer layer = new SequenceEmbeddingLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    public long getVocabSize() {
        return vocabSize;
    }

    public long getSize() {
        return size;
    }

    public long getMaxPositions() {
        return maxPositions;
    }

    @Override
    public SequenceEmbedding clone() {
        return (SequenceEmbedding) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceEmbedding other && super.equals(o) && vocabSize == other.vocabSize
                && size == other.size && maxPositions == other.maxPositions;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), vocabSize, size, maxPositions);
    }
}
