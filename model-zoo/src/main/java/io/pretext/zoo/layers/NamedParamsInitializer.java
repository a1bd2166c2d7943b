package io.pretext.zoo.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Lays out the parameters a {@link NamedParamsLayer} declares, in declaration order, as c-ordered views
 * {@code [rows, columns]} of the layer's slice of the network's flat parameter (and gradient) array, and
 * initialises them by role: weights from the layer's {@code IWeightInit} (fan-in = rows, fan-out = columns),
 * biases 0, gains 1.
 */
public final class NamedParamsInitializer implements ParamInitializer {

    private static final NamedParamsInitializer INSTANCE = new NamedParamsInitializer();

    private NamedParamsInitializer() {
    }

    public static NamedParamsInitializer getInstance() {
        return INSTANCE;
    }

    private static List<LayerParam> params(Layer layer) {
        if (!(layer instanceof NamedParamsLayer named)) {
            throw new IllegalStateException("NamedParamsInitializer serves NamedParamsLayer configurations, got "
                    + layer.getClass().getName());
        }
        return named.parameters();
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return params(layer).stream().mapToLong(LayerParam::length).sum();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return params(layer).stream().map(LayerParam::key).toList();
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return keys(layer, LayerParam.Role.WEIGHT);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return keys(layer, LayerParam.Role.BIAS);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return biasKeys(layer).contains(key);
    }

    private static List<String> keys(Layer layer, LayerParam.Role role) {
        return params(layer).stream().filter(p -> p.role() == role).map(LayerParam::key).toList();
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        NamedParamsLayer layer = (NamedParamsLayer) conf.getLayer();
        Map<String, INDArray> views = views(layer, paramsView);
        for (LayerParam p : layer.parameters()) {
            INDArray view = views.get(p.key());
            if (initializeParams) {
                switch (p.role()) {
                    case WEIGHT -> layer.getWeightInitFn().init(p.rows(), p.columns(), view.shape(), 'c', view);
                    case BIAS -> view.assign(0);
                    case GAIN -> view.assign(1);
                    default -> throw new IllegalStateException("unhandled parameter role " + p.role());
                }
            }
            conf.addVariable(p.key());
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((NamedParamsLayer) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(NamedParamsLayer layer, INDArray flat) {
        long expected = INSTANCE.numParams(layer);
        if (flat.length() != expected) {
            throw new IllegalStateException("layer " + layer.getLayerName() + " expects a parameter view of length "
                    + expected + ", got " + flat.length());
        }
        INDArray vector = flat.reshape(flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        long offset = 0;
        for (LayerParam p : layer.parameters()) {
            views.put(p.key(), vector.get(NDArrayIndex.interval(offset, offset + p.length()))
                    .reshape('c', p.rows(), p.columns()));
            offset += p.length();
        }
        return views;
    }
}
