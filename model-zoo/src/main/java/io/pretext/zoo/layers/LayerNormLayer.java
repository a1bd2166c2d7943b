package io.pretext.zoo.layers;

import java.util.Arrays;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The computation of {@link LayerNorm}. */
public class LayerNormLayer extends BaseLayer<LayerNorm> {

    /** Kept from the training forward pass for backprop (arrays in the activations workspace). */
    private INDArray normalized;   // [rows, size] xhat
    private INDArray invStd;       // [rows, 1]
    private INDArray dropoutMask;  // [rows, size], or null without dropout

    public LayerNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        LayerNorm c = layerConf();
        INDArray x = TransformerMath.contiguous(input.castTo(dataType));
        if (x.size(x.rank() - 1) != c.getSize()) {
            throw new IllegalArgumentException("LayerNorm " + layerId() + " expects a last axis of size " + c.getSize()
                    + ", got shape " + Arrays.toString(x.shape()));
        }
        long size = c.getSize();
        long rows = x.length() / size;
        ArrayType kept = training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;
        INDArray xhat = workspaceMgr.createUninitialized(kept, dataType, new long[] {rows, size}, 'c');
        INDArray inv = workspaceMgr.createUninitialized(kept, dataType, new long[] {rows, 1}, 'c');
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
        INDArray out2d = out.reshape(rows, size);
        TransformerMath.layerNorm(x.reshape(rows, size), getParam(LayerNorm.GAMMA_KEY), getParam(LayerNorm.BETA_KEY),
                c.getEpsilon(), xhat, inv, out2d);
        INDArray mask = null;
        if (training && c.getDropout() > 0) {
            mask = TransformerMath.fillDropoutMask(
                    workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {rows, size}, 'c'),
                    c.getDropout());
            out2d.muli(mask);
        }
        if (training) {
            normalized = xhat;
            invStd = inv;
            dropoutMask = mask;
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (normalized == null) {
            throw new IllegalStateException("LayerNorm " + layerId() + ": backprop without a training forward pass");
        }
        long size = layerConf().getSize();
        long rows = normalized.size(0);
        INDArray dy = TransformerMath.contiguous(epsilon.castTo(dataType)).reshape(rows, size);
        if (dropoutMask != null) {
            dy = dy.mul(dropoutMask);
        }
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        INDArray gammaGrad = gradientViews.get(LayerNorm.GAMMA_KEY);
        INDArray betaGrad = gradientViews.get(LayerNorm.BETA_KEY);
        TransformerMath.layerNormBackward(dy, normalized, invStd, getParam(LayerNorm.GAMMA_KEY), gammaGrad, betaGrad,
                dx.reshape(rows, size));
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(LayerNorm.GAMMA_KEY, gammaGrad);
        gradient.setGradientFor(LayerNorm.BETA_KEY, betaGrad);
        return new Pair<>(gradient, dx);
    }

    @Override
    public void clear() {
        super.clear();
        normalized = null;
        invStd = null;
        dropoutMask = null;
    }

    @Override
    public Layer clone() {
        throw new UnsupportedOperationException("LayerNormLayer is cloned through its configuration");
    }
}
