package io.pretext.zoo.autoencoder;

import java.util.List;

import io.pretext.zoo.loss.GaussianKlLoss;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The training and inference computation of {@link KlDivergence}. */
public class KlDivergenceLayer extends AbstractLayer<KlDivergence> implements IOutputLayer {

    private static final GaussianKlLoss KL = new GaussianKlLoss();
    private static final IActivation IDENTITY = new ActivationIdentity();

    private INDArray labels;
    private double score;
    private Gradient gradient;

    public KlDivergenceLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The KL weight at this layer's iteration count, which the graph synchronises before every pass. */
    double weight() {
        return layerConf().warmup().weightAt(getIterationCount());
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

    /** The unweighted KL of each example, {@code [N, 1]}. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray kl = KL.computeScoreArray(null, input.castTo(dataType), IDENTITY, null);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, kl);
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        double sum = KL.computeScore(labels, input.castTo(dataType), IDENTITY, null, false);
        score = weight() * sum / input.size(0) + fullNetRegTerm;
        return score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray scores = KL.computeScoreArray(labels, input.castTo(dataType), IDENTITY, null).muli(weight());
        if (fullNetRegTerm != 0.0) {
            scores.addi(fullNetRegTerm);
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, scores);
    }

    /** {@code weight(t) * dKL/d[mu, v]}, {@code [N, 2L]}; {@code epsilon} is null for an output layer. */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray grad = KL.computeGradient(labels, input.castTo(dataType), IDENTITY, null).muli(weight());
        return new Pair<>(new DefaultGradient(), workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, grad));
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        gradient = backpropGradient(null, workspaceMgr).getFirst();
        computeScore(0.0, true, workspaceMgr);
    }

    @Override
    public double score() {
        return score;
    }

    @Override
    public Gradient gradient() {
        return gradient;
    }

    @Override
    public Pair<Gradient, Double> gradientAndScore() {
        return new Pair<>(gradient(), score());
    }

    @Override
    public boolean needsLabels() {
        return false;
    }

    @Override
    public void setLabels(INDArray labels) {
        this.labels = labels;
    }

    @Override
    public INDArray getLabels() {
        return labels;
    }

    @Override
    public void clear() {
        super.clear();
        labels = null;
    }

    @Override
    public double f1Score(DataSet data) {
        throw unsupported("f1Score");
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        throw unsupported("f1Score");
    }

    @Override
    public int numLabels() {
        throw unsupported("numLabels");
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw unsupported("fit");
    }

    @Override
    public int[] predict(INDArray examples) {
        throw unsupported("predict");
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        throw unsupported("predict");
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw unsupported("fit");
    }

    @Override
    public void fit(DataSet data) {
        throw unsupported("fit");
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw unsupported("fit");
    }

    private UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException("KlDivergence layer " + layerId()
                + " is a loss term of a graph, not a classifier: " + what
                + " is not supported (train the ComputationGraph it belongs to)");
    }
}
