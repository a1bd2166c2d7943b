package io.pretext.zoo.autoencoder;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The training and inference computation of {@link GaussianSample}. */
public class GaussianSampleLayer extends AbstractLayer<GaussianSample> {

    /** The standard normal noise of the last training forward pass, {@code [N, L]}, kept for backprop. */
    private INDArray noise;

    public GaussianSampleLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return 0;
    }

    @Override
    public INDArray params() {
        return null;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no parameters, so no weight noise
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray in = input.castTo(dataType);                                  // [N, 2L]
        long latent = latentSize(in);
        INDArray mean = in.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latent));            // [N, L]
        if (!training) {
            noise = null;
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, mean, 'c');
        }
        INDArray logVariance = in.get(NDArrayIndex.all(), NDArrayIndex.interval(latent, 2 * latent)); // [N, L]
        noise = Nd4j.randn(workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, mean.shape(), 'c'));
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, mean.shape(), 'c');
        z.assign(logVariance).muli(0.5);
        Transforms.exp(z, false).muli(noise).addi(mean);                      // mu + exp(v / 2) * e
        return z;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (noise == null) {
            throw new IllegalStateException("GaussianSample layer " + layerId()
                    + ": backprop without a training forward pass (call activate(true, ...) first)");
        }
        INDArray in = input.castTo(dataType);                                  // [N, 2L]
        long latent = latentSize(in);
        INDArray logVariance = in.get(NDArrayIndex.all(), NDArrayIndex.interval(latent, 2 * latent));
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, in.shape(), 'c');
        grad.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latent)).assign(epsilon);        // dL/dmu
        INDArray dLogVariance = grad.get(NDArrayIndex.all(), NDArrayIndex.interval(latent, 2 * latent));
        dLogVariance.assign(logVariance).muli(0.5);
        Transforms.exp(dLogVariance, false).muli(noise).muli(epsilon).muli(0.5);               // dL/dv
        return new Pair<>(new DefaultGradient(), grad);
    }

    private long latentSize(INDArray in) {
        if (in.rank() != 2 || in.size(1) < 2 || in.size(1) % 2 != 0) {
            throw new IllegalArgumentException("GaussianSample layer " + layerId() + " expects [N, 2L] input (means, "
                    + "then log variances), got " + Arrays.toString(in.shape()));
        }
        return in.size(1) / 2;
    }

    @Override
    public void clear() {
        super.clear();
        noise = null;
    }
}
