package io.pretext.zoo.layers;

import static io.pretext.zoo.layers.ConvBatchNormParamInitializer.BETA;
import static io.pretext.zoo.layers.ConvBatchNormParamInitializer.GAMMA;
import static io.pretext.zoo.layers.ConvBatchNormParamInitializer.MEAN;
import static io.pretext.zoo.layers.ConvBatchNormParamInitializer.VAR;
import static io.pretext.zoo.layers.ConvBatchNormParamInitializer.WEIGHT_KEY;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** The training and inference computation of {@link ConvBatchNorm}. */
public class ConvBatchNormLayer extends BaseLayer<ConvBatchNorm> {

    /** Kept from the training forward pass for backprop (arrays in the activations workspace). */
    private INDArray convOut;     // [n, nOut, h', w'] convolution output, the batch norm input
    private INDArray output;      // [n, nOut, h', w'] after normalization and ReLU: the ReLU mask for backprop.
                                  // DL4J consumers copy their input before changing it; dropout zeroing it in
                                  // place would only clear entries whose gradient is zero anyway.
    private double[] batchMean;   // [nOut]
    private double[] batchVar;    // [nOut], biased

    public ConvBatchNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    /** Running statistics carry a step-size-free delta: the updater must not divide it by the minibatch. */
    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        return !ConvBatchNormParamInitializer.isRunningStatistic(paramName);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        ConvBatchNorm c = layerConf();
        INDArray x = input.castTo(dataType);                          // [n, nIn, h, w]
        if (x.rank() != 4 || x.size(1) != c.getNIn()) {
            throw new IllegalArgumentException("ConvBatchNorm layer " + layerId() + " expects NCHW input [n, "
                + c.getNIn() + ", h, w], got " + java.util.Arrays.toString(x.shape()));
        }
        INDArray w = getParamWithNoise(WEIGHT_KEY, training, workspaceMgr);
        int[] outHw = ConvolutionUtils.getOutputSize(x, c.getKernelSize(), c.getStride(), c.getPadding(),
            c.getConvolutionMode(), c.getDilation(), CNN2DFormat.NCHW);
        long[] outShape = {x.size(0), c.getNOut(), outHw[0], outHw[1]};

        // Training keeps the convolution output for backprop; inference needs it only for this call.
        INDArray z = workspaceMgr.createUninitialized(training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM,
            dataType, outShape, 'c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w).addOutputs(z)
            .addIntegerArguments(convArgs(c)).build());

        double[] mean;
        double[] var;
        if (training) {
            double[][] sums = ChannelKernels.sums(z);
            double count = (double) z.length() / c.getNOut();
            mean = new double[sums[0].length];
            var = new double[mean.length];
            for (int ch = 0; ch < mean.length; ch++) {
                mean[ch] = sums[0][ch] / count;
                var[ch] = Math.max(0, sums[1][ch] / count - mean[ch] * mean[ch]);
            }
        } else {
            mean = getParam(MEAN).toDoubleVector();
            var = getParam(VAR).toDoubleVector();
        }

        // y = gamma * (z - mean) / sqrt(var + eps) + beta  =  scale * z + shift, per channel
        double[] gamma = getParam(GAMMA).toDoubleVector();
        double[] beta = getParam(BETA).toDoubleVector();
        double[] scale = new double[mean.length];
        double[] shift = new double[mean.length];
        for (int ch = 0; ch < mean.length; ch++) {
            scale[ch] = gamma[ch] / Math.sqrt(var[ch] + c.getEps());
            shift[ch] = beta[ch] - scale[ch] * mean[ch];
        }
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outShape, 'c');
        ChannelKernels.affine(z, scale, shift, c.isRelu(), y);

        if (training) {
            convOut = z;
            output = y;
            batchMean = mean;
            batchVar = var;
        }
        return y;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (convOut == null) {
            throw new IllegalStateException("ConvBatchNorm layer " + layerId()
                + ": backprop without a training forward pass (call activate(true, ...) first)");
        }
        ConvBatchNorm c = layerConf();
        INDArray x = input.castTo(dataType);                          // [n, nIn, h, w]
        INDArray w = getParamWithNoise(WEIGHT_KEY, true, workspaceMgr);
        INDArray eps = ChannelKernels.contiguous(epsilon.castTo(dataType));
        INDArray reluOut = c.isRelu() ? output : null;

        // With g = dL/dy masked by the ReLU, xhat = (z - mean) * invStd and m = n*h*w values per channel:
        //   dL/dbeta = sum g,  dL/dgamma = sum g * xhat = invStd * (sum g*z - mean * sum g)
        //   dL/dz = gamma * invStd * (g - dL/dbeta / m - xhat * dL/dgamma / m)
        INDArray gradConv = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, convOut.shape(), 'c');
        double[][] sums = ChannelKernels.maskedGradientSums(eps, reluOut, convOut, gradConv);   // gradConv = g
        double count = (double) convOut.length() / c.getNOut();
        double[] gamma = getParam(GAMMA).toDoubleVector();
        int channels = gamma.length;
        double[] dGamma = new double[channels];
        double[] dBeta = new double[channels];
        double[] gScale = new double[channels];
        double[] zScale = new double[channels];
        double[] shift = new double[channels];
        for (int ch = 0; ch < channels; ch++) {
            double invStd = 1.0 / Math.sqrt(batchVar[ch] + c.getEps());
            dBeta[ch] = sums[0][ch];
            dGamma[ch] = invStd * (sums[1][ch] - batchMean[ch] * sums[0][ch]);
            gScale[ch] = gamma[ch] * invStd;
            zScale[ch] = -gScale[ch] * invStd * dGamma[ch] / count;
            shift[ch] = gScale[ch] * (invStd * dGamma[ch] * batchMean[ch] - dBeta[ch]) / count;
        }
        ChannelKernels.gradientAffine(gradConv, convOut, gScale, zScale, shift);                 // gradConv = dL/dz

        // dL/dx and dL/dW through the convolution
        INDArray gradInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        INDArray gradW = gradientViews.get(WEIGHT_KEY);
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, gradConv).addOutputs(gradInput, gradW)
            .addIntegerArguments(convArgs(c)).build());

        INDArray gradGamma = gradientViews.get(GAMMA).assign(Nd4j.createFromArray(dGamma));
        INDArray gradBeta = gradientViews.get(BETA).assign(Nd4j.createFromArray(dBeta));
        // Running statistics: the no-op updater subtracts this, giving running = decay*running + (1-decay)*batch
        double rate = 1.0 - c.getDecay();
        INDArray gradRunningMean = gradientViews.get(MEAN).assign(getParam(MEAN))
            .subi(Nd4j.createFromArray(batchMean).castTo(dataType)).muli(rate);
        INDArray gradRunningVar = gradientViews.get(VAR).assign(getParam(VAR))
            .subi(Nd4j.createFromArray(batchVar).castTo(dataType)).muli(rate);

        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(WEIGHT_KEY, gradW);
        gradient.setGradientFor(GAMMA, gradGamma);
        gradient.setGradientFor(BETA, gradBeta);
        gradient.setGradientFor(MEAN, gradRunningMean);
        gradient.setGradientFor(VAR, gradRunningVar);
        weightNoiseParams.clear();
        return new Pair<>(gradient, gradInput);
    }

    /** libnd4j conv2d arguments: kernel, stride, padding, dilation, same mode, NCHW, weights [oC, iC, kH, kW]. */
    private static int[] convArgs(ConvBatchNorm c) {
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] p = c.getPadding();
        int[] d = c.getDilation();
        boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
        return new int[] {k[0], k[1], s[0], s[1], same ? 0 : p[0], same ? 0 : p[1], d[0], d[1], same ? 1 : 0, 0, 1};
    }

    @Override
    public void clear() {
        super.clear();
        convOut = null;
        output = null;
        batchMean = null;
        batchVar = null;
    }

    @Override
    public Pair<INDArray, org.deeplearning4j.nn.api.MaskState> feedForwardMaskArray(INDArray maskArray,
            org.deeplearning4j.nn.api.MaskState currentMaskState, int minibatchSize) {
        // Per-example masks do not apply to convolution activations; pass them on unchanged.
        return new Pair<>(maskArray, currentMaskState);
    }
}
