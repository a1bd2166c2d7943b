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
 * Parameters of {@link ConvBatchNorm}, laid out in one flat view as
 * {@code W [nOut, nIn, kH, kW] | gamma [nOut] | beta [nOut] | mean [nOut] | var [nOut]}.
 */
public final class ConvBatchNormParamInitializer implements ParamInitializer {

    public static final String WEIGHT_KEY = "W";
    public static final String GAMMA = "gamma";
    public static final String BETA = "beta";
    public static final String MEAN = "mean";
    public static final String VAR = "var";

    private static final ConvBatchNormParamInitializer INSTANCE = new ConvBatchNormParamInitializer();
    private static final List<String> KEYS = List.of(WEIGHT_KEY, GAMMA, BETA, MEAN, VAR);

    private ConvBatchNormParamInitializer() {
    }

    public static ConvBatchNormParamInitializer getInstance() {
        return INSTANCE;
    }

    static boolean isRunningStatistic(String paramName) {
        return MEAN.equals(paramName) || VAR.equals(paramName);
    }

    private static ConvBatchNorm conf(Layer layer) {
        return (ConvBatchNorm) layer;
    }

    private static long weightCount(ConvBatchNorm c) {
        int[] k = c.getKernelSize();
        return c.getNOut() * c.getNIn() * k[0] * k[1];
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        ConvBatchNorm c = conf(layer);
        return weightCount(c) + 4 * c.getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        ConvBatchNorm c = conf(conf.getLayer());
        Map<String, INDArray> views = views(c, paramsView);
        if (initializeParams) {
            int[] k = c.getKernelSize();
            double fanIn = c.getNIn() * k[0] * k[1];
            double fanOut = c.getNOut() * k[0] * k[1];
            INDArray w = views.get(WEIGHT_KEY);
            c.getWeightInitFn().init(fanIn, fanOut, w.shape(), 'c', w);
            views.get(GAMMA).assign(1.0);
            views.get(BETA).assign(0.0);
            views.get(MEAN).assign(0.0);
            views.get(VAR).assign(1.0);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf(conf.getLayer()), gradientView);
    }

    private static Map<String, INDArray> views(ConvBatchNorm c, INDArray flat) {
        INDArray row = flat.reshape(flat.length());
        long nOut = c.getNOut();
        long nW = weightCount(c);
        int[] k = c.getKernelSize();
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(WEIGHT_KEY, row.get(NDArrayIndex.interval(0, nW)).reshape('c', nOut, c.getNIn(), k[0], k[1]));
        long offset = nW;
        for (String key : List.of(GAMMA, BETA, MEAN, VAR)) {
            views.put(key, row.get(NDArrayIndex.interval(offset, offset + nOut)));
            offset += nOut;
        }
        return views;
    }
}
