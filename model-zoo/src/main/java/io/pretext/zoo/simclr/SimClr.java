package io.pretext.zoo.simclr;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.pretext.zoo.encoder.EncoderOutput;
import io.pretext.zoo.loss.NtXentLoss;
import io.pretext.zoo.optim.OptimizerConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SimCLR (Chen et al. 2020): an image encoder, then a projection head trained with NT-Xent on
 * two augmented views of every image.
 *
 * <pre>
 *   images [2N, C, H, W]  (rows i and i+N: two views of image i, floats in [0, 1])
 *     -> encoder (preset)                          -> encoderOutput  [2N, featureSize]
 *     -> "projection-hidden": Dense + ReLU          [2N, projectionHiddenSize]
 *     -> "projection": Dense, identity, NT-Xent     [2N, projectionSize]
 * </pre>
 *
 * The graph computes in ND4J's default floating-point type ({@link Nd4j#defaultFloatingPointType()}),
 * float unless the application changes it. Training needs labels next to the images:
 * {@link #labelsFor(long)}. The encoder alone is what is exported: {@link #encoderOnly}.
 */
public final class SimClr {

    /** Name of the graph's image input. */
    public static final String INPUT = "images";
    /** Hidden layer of the projection head. */
    public static final String PROJECTION_HIDDEN = "projection-hidden";
    /** Output of the projection head, carrying the NT-Xent loss. */
    public static final String PROJECTION = "projection";

    private SimClr() {
    }

    /** The training graph: encoder, projection head and NT-Xent, with the optimizer's updater and weight decay. */
    public static ComputationGraphConfiguration configuration(SimClrConfig model, OptimizerConfig optimizer) {
        GraphBuilder graph = optimizer.applyUpdater(baseBuilder(model)).graphBuilder();
        EncoderOutput encoder = addEncoder(graph, model);
        graph.addLayer(PROJECTION_HIDDEN, new DenseLayer.Builder()
                .nOut(model.projectionHiddenSize())
                .activation(Activation.RELU)
                .build(), encoder.vertex());
        graph.addLayer(PROJECTION, new OutputLayer.Builder(new NtXentLoss(model.temperature()))
                .nOut(model.projectionSize())
                .activation(Activation.IDENTITY)
                .build(), PROJECTION_HIDDEN);
        graph.setOutputs(PROJECTION);
        return optimizer.applyWeightDecay(graph.build());
    }

    /** {@link #configuration} as an initialised graph (weights drawn from {@code model.seed()}). */
    public static ComputationGraph init(SimClrConfig model, OptimizerConfig optimizer) {
        ComputationGraph graph = new ComputationGraph(configuration(model, optimizer));
        graph.init();
        return graph;
    }

    /** Name of the vertex holding the pooled encoder features {@code [batch, featureSize]}. */
    public static String encoderOutput(SimClrConfig model) {
        return addEncoder(baseBuilder(model).graphBuilder(), model).vertex();
    }

    /** Length of the encoder's feature vector. */
    public static long featureSize(SimClrConfig model) {
        return model.encoderPreset().featureSize();
    }

    /**
     * The labels array a training batch of {@code rows = 2N} images needs: zeros {@code [rows, 1]}
     * in the default floating-point type. NT-Xent does not read it; DL4J needs one per output.
     */
    public static INDArray labelsFor(long rows) {
        if (rows < 2 || rows % 2 != 0) {
            throw new IllegalArgumentException("a SimCLR batch has an even number of rows >= 2 (two views of each "
                    + "image), got " + rows);
        }
        return Nd4j.zeros(Nd4j.defaultFloatingPointType(), rows, 1);
    }

    /**
     * A graph holding the encoder only, its output the pooled features, with the parameters
     * (batch-norm statistics included) copied from {@code trained}. It is for inference and
     * export; it has no loss and is not trained further.
     *
     * @throws IllegalArgumentException if {@code trained} lacks an encoder parameter of this config
     */
    public static ComputationGraph encoderOnly(ComputationGraph trained, SimClrConfig model) {
        GraphBuilder graph = baseBuilder(model).graphBuilder();
        EncoderOutput encoder = addEncoder(graph, model);
        graph.setOutputs(encoder.vertex());
        ComputationGraph result = new ComputationGraph(graph.build());
        result.init();
        Map<String, INDArray> source = trained.paramTable();
        for (Map.Entry<String, INDArray> target : result.paramTable().entrySet()) {
            INDArray values = source.get(target.getKey());
            if (values == null || !Arrays.equals(values.shape(), target.getValue().shape())) {
                throw new IllegalArgumentException("trained graph has no parameter " + target.getKey() + " of shape "
                        + Arrays.toString(target.getValue().shape()) + " (got "
                        + (values == null ? "none" : Arrays.toString(values.shape()))
                        + "): was it built from this model config (encoder " + model.encoder() + ")?");
            }
            target.getValue().assign(values);
        }
        return result;
    }

    /**
     * Encoder features of a batch in inference mode (batch norm uses its running statistics):
     * {@code [N, channels, height, width] -> [N, featureSize]}. Works on the training graph and
     * on {@link #encoderOnly} alike.
     */
    public static INDArray features(ComputationGraph graph, SimClrConfig model, INDArray images) {
        if (images.rank() != 4 || images.size(1) != model.channels() || images.size(2) != model.height()
                || images.size(3) != model.width()) {
            throw new IllegalArgumentException("images must have shape [N, " + model.channels() + ", "
                    + model.height() + ", " + model.width() + "] (model.channels, model.height, model.width), got "
                    + Arrays.toString(images.shape()));
        }
        return graph.output(List.of(encoderOutput(model)), false, new INDArray[] {images}, null)[0];
    }

    /** Settings every SimCLR graph shares: seed, weight init, data type. */
    private static NeuralNetConfiguration.Builder baseBuilder(SimClrConfig model) {
        return new NeuralNetConfiguration.Builder()
                .seed(model.seed())
                .weightInit(model.weightInitScheme())
                .dataType(Nd4j.defaultFloatingPointType());
    }

    /** Adds the image input and the encoder. */
    private static EncoderOutput addEncoder(GraphBuilder graph, SimClrConfig model) {
        graph.addInputs(INPUT)
                .setInputTypes(InputType.convolutional(model.height(), model.width(), model.channels()));
        return model.encoderPreset().addTo(graph, INPUT);
    }
}
