package io.pretext.zoo.autoencoder;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.EmptyParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The KL term of a variational autoencoder as a graph output: input {@code [N, 2L]} (latent means,
 * then log variances), loss {@code weight(t) * KL(q || N(0, I))} per example with the weight of
 * {@link KlWarmup} at the graph's iteration count {@code t}, activations {@code [N, 1]}: the
 * unweighted KL of each example in nats (see {@link io.pretext.zoo.loss.GaussianKlLoss}).
 *
 * <p>As a graph output it needs a labels array, which it does not read: zeros {@code [N, 1]}. The
 * graph's score is the sum of its outputs' scores, so with the reconstruction output next to this
 * one the training loss is {@code mean_i (reconstruction_i + weight(t) * KL_i)}. No parameters.
 */
public class KlDivergence extends NoParamLayer {

    private double beta = 1.0;
    private long warmupSteps;

    /** For JSON deserialisation. */
    public KlDivergence() {
    }

    /** A KL output named {@code name} weighted by {@code warmup}. */
    public KlDivergence(String name, KlWarmup warmup) {
        this.layerName = name;
        this.beta = warmup.beta();
        this.warmupSteps = warmup.warmupSteps();
    }

    /** The weight schedule of the KL term. */
    public KlWarmup warmup() {
        return new KlWarmup(beta, warmupSteps);
    }

    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = beta;
    }

    public long getWarmupSteps() {
        return warmupSteps;
    }

    public void setWarmupSteps(long warmupSteps) {
        this.warmupSteps = warmupSteps;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        KlDivergenceLayer layer = new KlDivergenceLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return EmptyParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeFeedForward ff) || ff.getSize() < 2 || ff.getSize() % 2 != 0) {
            throw new IllegalArgumentException("KlDivergence layer " + layerName + " needs feed-forward input [N, 2L] "
                    + "(means, then log variances), got " + inputType);
        }
        return InputType.feedForward(1);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, KlDivergence.class, inputType, getOutputType(-1, inputType))
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public KlDivergence clone() {
        return (KlDivergence) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KlDivergence other && super.equals(other)
                && Double.compare(beta, other.beta) == 0 && warmupSteps == other.warmupSteps;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), beta, warmupSteps);
    }

    @Override
    public String toString() {
        return "KlDivergence(" + layerName + ", beta=" + beta + ", warmupSteps=" + warmupSteps + ")";
    }
}
