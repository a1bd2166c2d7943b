package io.pretext.zoo.layers;

import java.util.List;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * Base of the transformer layer configurations: a layer whose parameters are a fixed list of named matrices
 * ({@link #parameters()}), laid out and initialised by {@link NamedParamsInitializer}, and whose sizes are all
 * explicit (an input type never changes them, unlike DL4J's embedding layers, whose input size a
 * {@code setInputTypes(InputType.recurrent(1, T))} resets to 1).
 *
 * <p>Sequence activations are {@code [batch, seq, features]} (DL4J's NWC recurrent format), c-ordered. The
 * updater, weight initialisation and regularisation come from the network builder as for any DL4J layer;
 * weight decay reaches the {@link LayerParam.Role#WEIGHT} parameters only.
 *
 * <p>These layers do their own dropout (where the architecture puts it, not on the layer input), so DL4J's
 * {@code dropOut(...)} must stay unset on them.
 */
public abstract class NamedParamsLayer extends BaseLayer {

    protected NamedParamsLayer() {
        // The layers compute fixed functions; no DL4J activation applies.
        this.activationFn = new ActivationIdentity();
    }

    /** The parameters in layout order. */
    public abstract List<LayerParam> parameters();

    /** Size of the last axis of the output. */
    public abstract long outputSize();

    @Override
    public ParamInitializer initializer() {
        return NamedParamsInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType instanceof InputType.InputTypeRecurrent recurrent) {
            return InputType.recurrent(outputSize(), recurrent.getTimeSeriesLength(), RNNFormat.NWC);
        }
        return InputType.feedForward(outputSize());
    }

    /** Sizes are explicit in the configuration: the input type does not change them. */
    @Override
    public void setNIn(InputType inputType, boolean override) {
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(params);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(params, updaterState)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0)
                .build();
    }
}
