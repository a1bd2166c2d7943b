package io.pretext.zoo.autoencoder;

import java.util.Collection;
import java.util.Map;

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
 * The reparameterised draw of a variational autoencoder's latent code (Kingma and Welling 2014):
 * input {@code [N, 2L]} (means in columns {@code 0..L-1}, log variances {@code v} in {@code L..2L-1}),
 * output {@code [N, L]}.
 *
 * <pre>
 *   training:   z = mu + exp(v / 2) * e,   e ~ N(0, I) drawn from Nd4j.getRandom()
 *   inference:  z = mu                     (deterministic: embeddings, reconstructions, scores)
 *   backprop:   dL/dmu = dL/dz,   dL/dv = dL/dz * exp(v / 2) * e / 2
 * </pre>
 *
 * The noise {@code e} comes from ND4J's per-thread random generator, which the Spark training engine
 * seeds from (seed, step, worker) before every round, so a round is reproducible. A numerical
 * gradient check holds the noise fixed by resetting that generator's seed before every forward pass
 * ({@code GradientCheckUtil}'s {@code callEachIter}). No parameters.
 */
public class GaussianSample extends NoParamLayer {

    /** For JSON deserialisation and {@link #GaussianSample(String)}. */
    public GaussianSample() {
    }

    /** A sampling layer named {@code name}. */
    public GaussianSample(String name) {
        this.layerName = name;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        GaussianSampleLayer layer = new GaussianSampleLayer(conf, networkDataType);
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
        return InputType.feedForward(latentSize(inputType));
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        return new LayerMemoryReport.Builder(layerName, GaussianSample.class, inputType, out)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, out.arrayElementsPerExample())        // the noise, kept for backprop
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    private long latentSize(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeFeedForward ff) || ff.getSize() < 2 || ff.getSize() % 2 != 0) {
            throw new IllegalArgumentException("GaussianSample layer " + layerName
                    + " needs feed-forward input [N, 2L] (means, then log variances), got " + inputType);
        }
        return ff.getSize() / 2;
    }

    @Override
    public GaussianSample clone() {
        return (GaussianSample) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianSample other && super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    @Override
    public String toString() {
        return "GaussianSample(" + layerName + ")";
    }
}
