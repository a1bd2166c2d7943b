package io.pretext.zoo.layers;

import static io.pretext.zoo.layers.PositionwiseFeedForward.BETA_KEY;
import static io.pretext.zoo.layers.PositionwiseFeedForward.GAMMA_KEY;
import static io.pretext.zoo.layers.PositionwiseFeedForward.IN_BIAS_KEY;
import static io.pretext.zoo.layers.PositionwiseFeedForward.IN_WEIGHT_KEY;
import static io.pretext.zoo.layers.PositionwiseFeedForward.OUT_BIAS_KEY;
import static io.pretext.zoo.layers.PositionwiseFeedForward.OUT_WEIGHT_KEY;

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
import org.nd4j.linalg.factory.Nd4j;

/** The computation of {@link PositionwiseFeedForward}. */
public class PositionwiseFeedForwardLayer extends BaseLayer<PositionwiseFeedForward> {

    /** Kept from the training forward pass for backprop (arrays in the activations workspace). */
    private INDArray preActivation;   // [rows, intermediate] a = x W1 + b1
    private INDArray cdf;             // [rows, intermediate] Phi(a); GELU(a) = a Phi(a)
    private final ResidualNorm residual = new ResidualNorm();

    public PositionwiseFeedForwardLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        PositionwiseFeedForward c = layerConf();
        INDArray x = checkedInput();
        long hidden = c.getHiddenSize();
        long rows = x.length() / hidden;
        INDArray x2 = x.reshape(rows, hidden);
        ArrayType kept = training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;

        INDArray a = workspaceMgr.createUninitialized(kept, dataType, new long[] {rows, c.getIntermediateSize()}, 'c');
        Nd4j.gemm(x2, getParam(IN_WEIGHT_KEY), a, false, false, 1.0, 0.0);
        a.addiRowVector(getParam(IN_BIAS_KEY));
        INDArray g;                                                              // [rows, intermediate] GELU(a)
        INDArray phi = null;
        if (training) {
            // keep a and Phi(a): backprop needs both, and recomputes GELU(a) = a Phi(a) in one pass
            phi = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, a.shape(), 'c');
            TransformerMath.normalCdf(a, phi);
            g = a.mul(phi);
        } else {
            g = a;
            TransformerMath.gelu(a, a);
        }

        INDArray z = TransformerMath.matmul(g, getParam(OUT_WEIGHT_KEY), false, false)   // [rows, hidden]
                .addiRowVector(getParam(OUT_BIAS_KEY));
        INDArray out = residual.forward(z, x2, x.shape(), getParam(GAMMA_KEY), getParam(BETA_KEY), c.getEpsilon(),
                c.getHiddenDropout(), training, workspaceMgr, dataType);
        if (training) {
            preActivation = a;
            cdf = phi;
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (preActivation == null) {
            throw new IllegalStateException("PositionwiseFeedForward " + layerId()
                    + ": backprop without a training forward pass");
        }
        PositionwiseFeedForward c = layerConf();
        INDArray x = checkedInput();
        long hidden = c.getHiddenSize();
        long rows = x.length() / hidden;
        INDArray x2 = x.reshape(rows, hidden);
        INDArray dy = TransformerMath.contiguous(epsilon.castTo(dataType)).reshape(rows, hidden);

        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        INDArray dx2 = dx.reshape(rows, hidden);
        INDArray gammaGrad = gradientViews.get(GAMMA_KEY);
        INDArray betaGrad = gradientViews.get(BETA_KEY);
        INDArray dz = residual.backward(dy, getParam(GAMMA_KEY), gammaGrad, betaGrad, dx2);   // [rows, hidden]
        INDArray w2Grad = gradientViews.get(OUT_WEIGHT_KEY);
        INDArray b2Grad = gradientViews.get(OUT_BIAS_KEY);
        Nd4j.gemm(preActivation.mul(cdf), dz, w2Grad, true, false, 1.0, 0.0);
        TransformerMath.columnSums(dz, b2Grad);
        INDArray da = TransformerMath.matmul(dz, getParam(OUT_WEIGHT_KEY), false, true); // [rows, intermediate]
        TransformerMath.geluBackward(preActivation, cdf, da);

        INDArray w1Grad = gradientViews.get(IN_WEIGHT_KEY);
        INDArray b1Grad = gradientViews.get(IN_BIAS_KEY);
        Nd4j.gemm(x2, da, w1Grad, true, false, 1.0, 0.0);
        TransformerMath.columnSums(da, b1Grad);
        // dz aliases dx2 without dropout: this accumulation is the last use of both
        Nd4j.gemm(da, getParam(IN_WEIGHT_KEY), dx2, false, true, 1.0, 1.0);

        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(IN_WEIGHT_KEY, w1Grad);
        gradient.setGradientFor(IN_BIAS_KEY, b1Grad);
        gradient.setGradientFor(OUT_WEIGHT_KEY, w2Grad);
        gradient.setGradientFor(OUT_BIAS_KEY, b2Grad);
        gradient.setGradientFor(GAMMA_KEY, gammaGrad);
        gradient.setGradientFor(BETA_KEY, betaGrad);
        return new Pair<>(gradient, dx);
    }

    private INDArray checkedInput() {
        INDArray x = TransformerMath.contiguous(input.castTo(dataType));
        if (x.size(x.rank() - 1) != layerConf().getHiddenSize()) {
            throw new IllegalArgumentException("PositionwiseFeedForward " + layerId() + " expects a last axis of size "
                    + layerConf().getHiddenSize() + ", got shape " + Arrays.toString(x.shape()));
        }
        return x;
    }

    @Override
    public void clear() {
        super.clear();
        preActivation = null;
        cdf = null;
        residual.clear();
    }

    @Override
    public Layer clone() {
        throw new UnsupportedOperationException("PositionwiseFeedForwardLayer is cloned through its configuration");
    }
}
