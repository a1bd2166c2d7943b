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
 * Output layer: bias, softmax over {@code classes}, and cross-entropy against integer class ids, averaged over
 * the rows the labels mask selects (BERT's masked-LM loss over the masked positions).
 *
 * <pre>
 *   input  logits without bias   [rows, classes]
 *   labels class ids             [batch, p] with batch * p = rows (row b * p + j is label [b, j]), or [rows, 1]
 *   mask   weights, as labels    (optional; 1 = counts, 0 = ignored; none = every row counts)
 *   loss   sum_r w_r * (logsumexp(logits_r + b) - (logits_r + b)[label_r]) / sum_r w_r   (0 when no row counts)
 *   output softmax(logits + b)   [rows, classes]
 * </pre>
 *
 * Rows of weight 0 contribute exactly zero gradient. DL4J divides every gradient by the network's minibatch
 * size (the first output's {@code labels.size(0)}), so this layer hands back {@code batch / sum w} times the
 * gradient of the summed loss, which makes the applied gradient that of the mean above; its labels must thus
 * have the network's minibatch as their first dimension.
 *
 * <p>Parameter: {@code b} [1, classes].
 */
public class SparseSoftmaxOutput extends NamedParamsLayer {

    public static final String BIAS_KEY = "b";

    @JsonProperty("classes")
    private long classes;

    /** For JSON deserialisation. */
    public SparseSoftmaxOutput() {
    }

    /** @param classes number of classes, {@code >= 2} */
    public SparseSoftmaxOutput(long classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("SparseSoftmaxOutput needs >= 2 classes, got " + classes);
        }
        this.classes = classes;
    }

    @Override
    public List<LayerParam> parameters() {
        return List.of(LayerParam.bias(BIAS_KEY, classes));
    }

    @Override
    public long outputSize() {
        return classes;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
            DataType networkDataType) {
        SparseSoftmaxOutputLayer layer = new SparseSoftmaxOutputLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    public long getClasses() {
        return classes;
    }

    @Override
    public SparseSoftmaxOutput clone() {
        return (SparseSoftmaxOutput) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseSoftmaxOutput other && super.equals(o) && classes == other.classes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), classes);
    }
}
