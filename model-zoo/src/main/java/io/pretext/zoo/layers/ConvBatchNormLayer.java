package io.pretext.zoo.layers;

import static io.pretext.zoo.layers.ConvBatchNormParamInitializer.BETA;
import static io.pretext.zoo.layers.ConvBatchNormParamInitializer.GAMMA;
import static io.pretext.zoo.layers.ConvBatchNormParamInitializer.MEAN;
import static io.pretext.zoo.layers.ConvBatchNormParamInitializer.VAR;
import static io.pretext.zoo.layers.ConvBatchNormParamInitializer.WEIGHT_KEY;

import org.deeplearning4j.nn.api.Layer;
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

    /** Kept from the training forward pass for backprop, all in the activations workspace. */
    private INDArray convOut;     // [n, nOut, h', w'] convolution output, the batch norm input
    private INDArray batchMean;   // [nOut]
    private INDArray batchVar;    // [nOut], biased
    private INDArray output;      // [n, nOut, h', w'] after normalization and ReLU

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
        long nOut = c.getNOut();

        // Training keeps the convolution output for backprop; inference needs it only for this call.
        INDArray z = workspaceMgr.createUninitialized(training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM,
            dataType, outShape, 'c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w).addOutputs(z)
            .addIntegerArguments(convArgs(c)).build());

        INDArray mean;
        INDArray var;
        if (training) {
            mean = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, nOut);
            var = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, nOut);
            Nd4j.exec(DynamicCustomOp.builder("moments").addInputs(z).addOutputs(mean, var)
                .addIntegerArguments(0, 2, 3).build());
        } else {
            mean = getParam(MEAN);
            var = getParam(VAR);
        }

        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outShape, 'c');
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
            .addInputs(z, mean, var, getParam(GAMMA), getParam(BETA)).addOutputs(y)
            .addIntegerArguments(1, 1, 1).addFloatingPointArguments(c.getEps()).build());
        if (c.isRelu()) {
            Nd4j.exec(DynamicCustomOp.builder("relu").addInputs(y).addOutputs(y).addFloatingPointArguments(0.0).build());
        }

        if (training) {
            convOut = z;
            batchMean = mean;
            batchVar = var;
            output = y;
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
        long nOut = c.getNOut();

        // dL/d(normalized): zero where the ReLU cut
        INDArray gradNorm = epsilon;
        if (c.isRelu()) {
            gradNorm = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, epsilon.shape(), 'c');
            Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(output, epsilon).addOutputs(gradNorm)
                .addFloatingPointArguments(0.0).build());
        }

        // dL/dz through batch norm with batch statistics; dL/dgamma, dL/dbeta into their gradient views
        INDArray gradConv = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, convOut.shape(), 'c');
        INDArray gradMean = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, nOut);
        INDArray gradVar = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, nOut);
        INDArray gradGamma = gradientViews.get(GAMMA);
        INDArray gradBeta = gradientViews.get(BETA);
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
            .addInputs(convOut, batchMean, batchVar, getParam(GAMMA), getParam(BETA), gradNorm)
            .addOutputs(gradConv, gradMean, gradVar, gradGamma, gradBeta)
            .addIntegerArguments(1, 1, 1).addFloatingPointArguments(c.getEps()).build());

        // dL/dx and dL/dW through the convolution
        INDArray gradInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        INDArray gradW = gradientViews.get(WEIGHT_KEY);
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, gradConv).addOutputs(gradInput, gradW)
            .addIntegerArguments(convArgs(c)).build());

        // Running statistics: the no-op updater subtracts this, giving running = decay*running + (1-decay)*batch
        INDArray gradRunningMean = gradientViews.get(MEAN);
        INDArray gradRunningVar = gradientViews.get(VAR);
        double rate = 1.0 - c.getDecay();
        gradRunningMean.assign(getParam(MEAN)).subi(batchMean).muli(rate);
        gradRunningVar.assign(getParam(VAR)).subi(batchVar).muli(rate);

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
        batchMean = null;
        batchVar = null;
        output = null;
    }

    @Override
    public Pair<INDArray, org.deeplearning4j.nn.api.MaskState> feedForwardMaskArray(INDArray maskArray,
            org.deeplearning4j.nn.api.MaskState currentMaskState, int minibatchSize) {
        // Per-example masks do not apply to convolution activations; pass them on unchanged.
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    public Layer clone() {
        throw new UnsupportedOperationException("ConvBatchNormLayer is cloned through its configuration");
    }
}
