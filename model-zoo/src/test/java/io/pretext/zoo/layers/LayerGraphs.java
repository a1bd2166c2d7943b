package io.pretext.zoo.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small double-precision graphs around one layer, random test arrays, and DL4J's gradient check. */
final class LayerGraphs {

    /** The project's gradient-check tolerances. */
    static final double EPSILON = 1e-6;
    static final double MAX_RELATIVE_ERROR = 1e-5;
    static final double MIN_ABSOLUTE_ERROR = 1e-8;

    static final String LOSS = "loss";

    private LayerGraphs() {
    }

    /**
     * Double precision, SGD with learning rate 1 (what the gradient check requires), weights drawn from
     * N(0, 0.5) so that the attention is far from uniform.
     */
    static NeuralNetConfiguration.Builder builder(long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Sgd(1.0))
                .weightInit(new NormalDistribution(0, 0.5))
                .dataType(DataType.DOUBLE);
    }

    /**
     * Ends a graph with a mean-squared-error loss on every position of {@code sequence} [B, T, H]: all
     * positions are gathered (input {@code positions} [B, T] = 0..T-1) into rows [B * T, H] for DL4J's
     * {@code LossLayer}, whose labels are then [B * T, H].
     */
    static void addSequenceLoss(GraphBuilder graph, String sequence, String positions) {
        graph.addVertex("all-positions", new PositionGatherVertex(), sequence, positions);
        graph.addLayer(LOSS, new LossLayer.Builder(LossFunctions.LossFunction.MSE)
                .activation(Activation.IDENTITY)
                .build(), "all-positions");
        graph.setOutputs(LOSS);
    }

    /** [B, T] with row b = 0, 1, ..., T-1. */
    static INDArray allPositions(int batch, int seq) {
        double[][] p = new double[batch][seq];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                p[b][t] = t;
            }
        }
        return Nd4j.createFromArray(p);
    }

    /** [batch, seq] mask with {@code lengths[b]} leading ones per row. */
    static INDArray paddingMask(int seq, int... lengths) {
        double[][] m = new double[lengths.length][seq];
        for (int b = 0; b < lengths.length; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                m[b][t] = 1;
            }
        }
        return Nd4j.createFromArray(m);
    }

    static INDArray gaussian(long seed, long... shape) {
        Random random = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, random.nextGaussian());
        }
        return a;
    }

    /**
     * Runs DL4J's numerical gradient check on every parameter with the project's tolerances, after checking
     * that the loss has a gradient at all (a check of a constant function would pass vacuously).
     */
    static boolean gradientsMatch(ComputationGraph graph, INDArray[] inputs, INDArray[] inputMasks, INDArray[] labels,
            INDArray[] labelMasks) {
        graph.setInputs(inputs);
        graph.setLabels(labels);
        graph.setLayerMaskArrays(inputMasks, labelMasks);
        graph.computeGradientAndScore();
        double norm = graph.gradient().gradient().norm2Number().doubleValue();
        assertTrue(norm > 1e-6, "the loss has no gradient to check (norm " + norm + ")");
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(inputs)
                .labels(labels)
                .inputMask(inputMasks)
                .labelMask(labelMasks)
                .epsilon(EPSILON)
                .maxRelError(MAX_RELATIVE_ERROR)
                .minAbsoluteError(MIN_ABSOLUTE_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    static ComputationGraph init(GraphBuilder graph) {
        ComputationGraph g = new ComputationGraph(graph.build());
        g.init();
        return g;
    }
}
