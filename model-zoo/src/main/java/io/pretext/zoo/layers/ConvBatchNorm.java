package io.pretext.zoo.layers;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Convolution without bias, then batch normalization, then (optionally) ReLU, as one layer.
 *
 * <p>It computes what DL4J's {@code ConvolutionLayer(hasBias=false) -> BatchNormalization ->
 * ActivationLayer(RELU)} computes (batch statistics and biased variance in training, running averages
 * in inference), for a fraction of the work on CPU:
 * <ul>
 *   <li>DL4J's convolution layer runs its forward convolution a second time in backprop; this keeps
 *       the convolution output instead.</li>
 *   <li>DL4J's batch norm (and libnd4j's {@code batchnorm_bp} behind its oneDNN helper) reduces over
 *       axes (0, 2, 3) and broadcasts along axis 1 with generic strided kernels that cost more than the
 *       convolution itself; here statistics, normalization, the ReLU mask and the batch-norm gradient
 *       are four sequential passes over memory ({@link ChannelKernels}).</li>
 *   <li>DL4J 1.0.0-M2.1's {@code BatchNormalization} ignores its {@code activation(...)}, so a ReLU must
 *       be a layer of its own that copies forward and backward; here it is part of the passes.</li>
 * </ul>
 * The convolution and its gradients are libnd4j's {@code conv2d}/{@code conv2d_bp} ops, which run on
 * oneDNN for float data on CPU and on libnd4j's generic kernels otherwise.
 *
 * <p>Parameters: {@code W} [nOut, nIn, kH, kW]; {@code gamma}, {@code beta} [nOut], learned;
 * {@code mean}, {@code var} [nOut], running estimates that the updater moves by
 * {@code (1 - decay) * (batch - running)} each step (a no-op updater applies that delta as given).
 * Only NCHW activations are supported.
 */
public class ConvBatchNorm extends ConvolutionLayer {

    private double eps = 1e-5;
    private double decay = 0.9;
    private boolean relu = true;

    /** For JSON deserialisation. */
    public ConvBatchNorm() {
        this.hasBias = false;
        this.cnn2dDataFormat = CNN2DFormat.NCHW;
    }

    private ConvBatchNorm(Builder builder) {
        super(builder);
        this.hasBias = false;
        this.cnn2dDataFormat = CNN2DFormat.NCHW;
        this.eps = builder.eps;
        this.decay = builder.decay;
        this.relu = builder.relu;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("ConvBatchNorm", getLayerName(), layerIndex, getNIn(), getNOut());
        if (getIDropout() != null) {
            throw new IllegalArgumentException("ConvBatchNorm layer " + getLayerName()
                + " does not apply dropout, got " + getIDropout() + " (remove dropOut from this layer or the network defaults)");
        }
        ConvBatchNormLayer layer = new ConvBatchNormLayer(conf, networkDataType);
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
        return ConvBatchNormParamInitializer.getInstance();
    }

    /** The running mean and variance are moved by their own rule, never by the optimiser. */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        if (ConvBatchNormParamInitializer.isRunningStatistic(paramName)) {
            return new NoOp();
        }
        return super.getUpdaterByParam(paramName);
    }

    /** Weight decay and the like apply to the convolution weights only. */
    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        if (ConvBatchNormParamInitializer.WEIGHT_KEY.equals(paramName)) {
            return super.getRegularizationByParam(paramName);
        }
        return List.of();
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    public double getEps() {
        return eps;
    }

    public void setEps(double eps) {
        this.eps = eps;
    }

    public double getDecay() {
        return decay;
    }

    public void setDecay(double decay) {
        this.decay = decay;
    }

    public boolean isRelu() {
        return relu;
    }

    public void setRelu(boolean relu) {
        this.relu = relu;
    }

    @Override
    public ConvBatchNorm clone() {
        return (ConvBatchNorm) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ConvBatchNorm other) || !super.equals(o)) {
            return false;
        }
        return Double.compare(eps, other.eps) == 0 && Double.compare(decay, other.decay) == 0 && relu == other.relu;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), eps, decay, relu);
    }

    @Override
    public String toString() {
        return "ConvBatchNorm(" + super.toString() + ", eps=" + eps + ", decay=" + decay + ", relu=" + relu + ")";
    }

    /** Kernel size, stride, padding, dilation, convolution mode, nIn/nOut and weight init as for DL4J's convolution. */
    public static class Builder extends ConvolutionLayer.BaseConvBuilder<Builder> {

        private double eps = 1e-5;
        private double decay = 0.9;
        private boolean relu = true;

        public Builder(int... kernelSize) {
            super(kernelSize);
            this.hasBias = false;
        }

        /** Added to the batch variance before the square root; {@code > 0}. */
        public Builder eps(double eps) {
            if (!(eps > 0)) {
                throw new IllegalArgumentException("ConvBatchNorm eps must be > 0, got " + eps);
            }
            this.eps = eps;
            return this;
        }

        /** Running statistics: {@code running = decay * running + (1 - decay) * batch}; in [0, 1). */
        public Builder decay(double decay) {
            if (!(decay >= 0 && decay < 1)) {
                throw new IllegalArgumentException("ConvBatchNorm decay must be in [0, 1), got " + decay);
            }
            this.decay = decay;
            return this;
        }

        /** Apply ReLU after the normalization (default true). */
        public Builder relu(boolean relu) {
            this.relu = relu;
            return this;
        }

        @Override
        public Builder hasBias(boolean hasBias) {
            if (hasBias) {
                throw new IllegalArgumentException("ConvBatchNorm has no convolution bias: batch norm's beta takes its place");
            }
            return this;
        }

        @Override
        protected boolean allowCausal() {
            return false;
        }

        @Override
        @SuppressWarnings("unchecked")
        public ConvBatchNorm build() {
            return new ConvBatchNorm(this);
        }
    }
}
