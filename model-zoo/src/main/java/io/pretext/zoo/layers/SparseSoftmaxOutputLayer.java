package io.pretext.zoo.layers;

import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The computation of {@link SparseSoftmaxOutput}. */
public class SparseSoftmaxOutputLayer extends BaseLayer<SparseSoftmaxOutput> implements IOutputLayer {

    private INDArray labels;

    /** The loss of the last backprop and the arrays it came from: DL4J asks for the score right after. */
    private INDArray scoredInput;
    private INDArray scoredLabels;
    private INDArray scoredMask;
    private double scoredLoss;

    public SparseSoftmaxOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    /** Softmax probabilities [rows, classes]. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, checkedInput().shape(), 'c');
        logitsInto(z);
        Transforms.exp(z.subiColumnVector(z.max(true, 1)), false);
        return z.diviColumnVector(z.sum(true, 1));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray delta = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, checkedInput().shape(),
                'c');
        double loss = lossAndGradient(delta, true);
        scoredInput = input;
        scoredLabels = labels;
        scoredMask = maskArray;
        scoredLoss = loss;

        INDArray biasGrad = gradientViews.get(SparseSoftmaxOutput.BIAS_KEY);
        TransformerMath.columnSums(delta, biasGrad);
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(SparseSoftmaxOutput.BIAS_KEY, biasGrad);
        return new Pair<>(gradient, delta);
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        double loss;
        if (scoredInput == input && scoredLabels == labels && scoredMask == maskArray) {
            loss = scoredLoss;
        } else {
            loss = lossAndGradient(Nd4j.createUninitialized(dataType, checkedInput().shape()), false);
        }
        score = loss + fullNetRegTerm;
        return score;
    }

    /**
     * Per example: the mean loss over its weighted rows (0 if none), plus {@code fullNetRegTerm};
     * [batch, 1] for [batch, p] labels.
     */
    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        long rows = checkedInput().size(0);
        INDArray cells = labelCells(labelIds(rows));
        double[] w = rowWeights(rows);
        double[] rowLoss = rowLosses(Nd4j.createUninitialized(dataType, input.shape()), cells);
        int examples = (int) labels.size(0);
        int perExample = (int) (rows / examples);
        double[] out = new double[examples];
        for (int b = 0; b < examples; b++) {
            double sum = 0;
            double weight = 0;
            for (int j = b * perExample; j < (b + 1) * perExample; j++) {
                sum += w[j] * rowLoss[j];
                weight += w[j];
            }
            out[b] = (weight > 0 ? sum / weight : 0) + fullNetRegTerm;
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS,
                Nd4j.createFromArray(out).reshape(examples, 1).castTo(dataType));
    }

    /**
     * The masked mean cross-entropy. With {@code withGradient}, {@code z} [rows, classes] ends up holding the
     * gradient handed to DL4J ({@code batch / sum w} times the gradient of the summed loss, see
     * {@link SparseSoftmaxOutput}); otherwise it is scratch space.
     */
    private double lossAndGradient(INDArray z, boolean withGradient) {
        long rows = z.size(0);
        INDArray cells = labelCells(labelIds(rows));
        double[] w = rowWeights(rows);
        double[] rowLoss = rowLosses(z, cells);                                    // z = softmax
        double count = 0;
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            count += w[r];
            sum += w[r] * rowLoss[r];
        }
        if (withGradient) {
            TransformerMath.scatterAdd(z.reshape(z.length()), cells,
                    Nd4j.valueArrayOf(new long[] {rows}, -1.0, dataType));           // softmax - one-hot
            double scale = count > 0 ? labels.size(0) / count : 0;
            double[] rowScale = new double[(int) rows];
            for (int r = 0; r < rows; r++) {
                rowScale[r] = w[r] * scale;
            }
            z.muliColumnVector(Nd4j.createFromArray(rowScale).reshape(rows, 1).castTo(dataType));
        }
        return count > 0 ? sum / count : 0;
    }

    /** Fills {@code z} with the softmax of the logits and returns each row's cross-entropy. */
    private double[] rowLosses(INDArray z, INDArray cells) {
        long rows = z.size(0);
        logitsInto(z);
        z.subiColumnVector(z.max(true, 1));                                        // shifted logits
        INDArray picked = Nd4j.createUninitialized(dataType, rows);                // shifted logit of each label
        Nd4j.exec(DynamicCustomOp.builder("gather")
                .addInputs(z.reshape(z.length()), cells)
                .addOutputs(picked)
                .addIntegerArguments(0)
                .build());
        Transforms.exp(z, false);
        INDArray sum = z.sum(true, 1);                                             // [rows, 1]
        z.diviColumnVector(sum);
        return Transforms.log(sum, true).reshape(rows).subi(picked).castTo(DataType.DOUBLE).toDoubleVector();
    }

    /** The flat index {@code r * classes + ids[r]} of each row's label cell in a [rows, classes] array. */
    private INDArray labelCells(int[] ids) {
        long classes = layerConf().getClasses();
        long[] cells = new long[ids.length];
        for (int r = 0; r < ids.length; r++) {
            cells[r] = r * classes + ids[r];
        }
        return Nd4j.createFromArray(cells);
    }

    /** z = input + b. */
    private void logitsInto(INDArray z) {
        Nd4j.exec(new BroadcastAddOp(checkedInput(), getParam(SparseSoftmaxOutput.BIAS_KEY), z, 1));
    }

    private INDArray checkedInput() {
        INDArray x = input.castTo(dataType);
        if (x.rank() != 2 || x.size(1) != layerConf().getClasses()) {
            throw new IllegalArgumentException("SparseSoftmaxOutput " + layerId() + " expects logits [rows, "
                    + layerConf().getClasses() + "], got " + Arrays.toString(x.shape()));
        }
        return x;
    }

    private int[] labelIds(long rows) {
        if (labels == null) {
            throw new IllegalStateException("SparseSoftmaxOutput " + layerId() + ": labels not set");
        }
        if (labels.rank() != 2 || labels.length() != rows) {
            throw new IllegalArgumentException("SparseSoftmaxOutput " + layerId() + " expects labels [batch, p] with "
                    + "batch * p = " + rows + " rows of logits, got " + Arrays.toString(labels.shape()));
        }
        int[] ids = labels.reshape(labels.length()).toIntVector();
        for (int id : ids) {
            if (id < 0 || id >= layerConf().getClasses()) {
                throw new IllegalArgumentException("label " + id + " is outside [0, " + layerConf().getClasses()
                        + ") (SparseSoftmaxOutput " + layerId() + ")");
            }
        }
        return ids;
    }

    private double[] rowWeights(long rows) {
        double[] w = new double[(int) rows];
        if (maskArray == null) {
            Arrays.fill(w, 1.0);
            return w;
        }
        if (!Arrays.equals(maskArray.shape(), labels.shape())) {
            throw new IllegalArgumentException("SparseSoftmaxOutput " + layerId() + " expects a labels mask of the "
                    + "labels' shape " + Arrays.toString(labels.shape()) + ", got "
                    + Arrays.toString(maskArray.shape()));
        }
        double[] m = maskArray.reshape(maskArray.length()).castTo(DataType.DOUBLE).toDoubleVector();
        for (int r = 0; r < rows; r++) {
            if (!(m[r] >= 0) || Double.isInfinite(m[r])) {
                throw new IllegalArgumentException("SparseSoftmaxOutput " + layerId() + " needs finite labels mask "
                        + "weights >= 0, got " + m[r]);
            }
        }
        return m;
    }

    @Override
    public boolean needsLabels() {
        return true;
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
    public int numLabels() {
        return (int) layerConf().getClasses();
    }

    /** The most probable class of each row. */
    @Override
    public int[] predict(INDArray examples) {
        return activate(examples, false, LayerWorkspaceMgr.noWorkspaces()).argMax(1).toIntVector();
    }

    @Override
    public double f1Score(org.nd4j.linalg.dataset.api.DataSet data) {
        throw new UnsupportedOperationException("SparseSoftmaxOutput: F1 over class ids is not provided");
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        throw new UnsupportedOperationException("SparseSoftmaxOutput: F1 over class ids is not provided");
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw new UnsupportedOperationException("SparseSoftmaxOutput is trained as part of a ComputationGraph");
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        throw new UnsupportedOperationException("SparseSoftmaxOutput: use predict(INDArray)");
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw new UnsupportedOperationException("SparseSoftmaxOutput is trained as part of a ComputationGraph");
    }

    @Override
    public void fit(DataSet data) {
        throw new UnsupportedOperationException("SparseSoftmaxOutput is trained as part of a ComputationGraph");
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw new UnsupportedOperationException("SparseSoftmaxOutput is trained as part of a ComputationGraph");
    }

    @Override
    public void clear() {
        super.clear();
        labels = null;
        scoredInput = null;
        scoredLabels = null;
        scoredMask = null;
    }

    @Override
    public Layer clone() {
        throw new UnsupportedOperationException("SparseSoftmaxOutputLayer is cloned through its configuration");
    }
}
