package io.pretext.zoo.autoencoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.pretext.zoo.loss.ReconstructionLoss;
import io.pretext.zoo.optim.OptimizerConfig;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The autoencoder family: plain (ae), denoising (dae) and variational (vae), dense or convolutional,
 * for dimensionality reduction (the code), anomaly detection (reconstruction error, negative ELBO)
 * and, for vae, sampling.
 *
 * <pre>
 *   "input"  [N, C, H, W] images in [0, 1]  or  [N, F] feature vectors
 *     conv:  "encoder-conv1..k"  3x3 stride 2, same padding, ReLU    [N, c_i, H/2^i, W/2^i]
 *            "encoder-dense1..m" ReLU (hiddenSizes; images are flattened C-order first)
 *     ae:    "code"                 Dense, identity                 [N, L]   the bottleneck
 *     vae:   "latent-mean"          Dense, identity                 [N, L]   mu, the embedding
 *            "latent-log-variance"  Dense, identity                 [N, L]   v = log sigma^2
 *            "latent-params"        merge(mu, v)                    [N, 2L]
 *            "latent-sample"        {@link GaussianSample}           [N, L]   mu + exp(v/2) e; mu in inference
 *            "kl"                   {@link KlDivergence}, output 2   [N, 1]   KL per example
 *     decoder: "decoder-dense1..m"  ReLU (hiddenSizes reversed)
 *     dense: "decoder-output"       Dense, identity                 [N, D]   logits / pre-activations
 *     conv:  "decoder-project"      Dense, ReLU, reshaped           [N, c_k, H/2^k, W/2^k]
 *            "decoder-upsample1..k" 2x nearest, then "decoder-conv1..k-1" 3x3 ReLU (channels mirrored)
 *            "decoder-output"       3x3 conv to C channels, identity [N, C, H, W]
 *   "reconstruction"  loss layer, output 1: activation (sigmoid | identity) + {@link ReconstructionLoss}
 *                     [N, C, H, W] for images (dense models reshape inside the graph), [N, F] for features
 * </pre>
 *
 * <p><b>Training batches</b> ({@link #trainingBatch}); every array has N rows:
 * <table>
 *   <caption>MultiDataSet layout per kind</caption>
 *   <tr><th>kind</th><th>features</th><th>labels</th></tr>
 *   <tr><td>ae</td><td>[x]</td><td>[x]</td></tr>
 *   <tr><td>dae</td><td>[corrupt(x)]</td><td>[x]</td></tr>
 *   <tr><td>vae</td><td>[x]</td><td>[x, zeros [N, 1] (the KL output's labels, not read)]</td></tr>
 * </table>
 * where {@code x} is the clean batch, {@code [N, C, H, W]} or {@code [N, F]} as above. The training
 * score is the mean over examples of the reconstruction loss (mean over elements for ae/dae, sum for
 * vae) plus, for vae, {@code weight(t) * KL} with {@link KlWarmup}'s weight at the iteration count.
 *
 * <p><b>Inference</b> runs in inference mode (the vae uses its posterior mean, no noise):
 * {@link #encode} (the code, or mu for vae), {@link #reconstruct}, {@link #reconstructionError}
 * (anomaly score), {@link #negativeElbo} (vae), {@link #decode} on a {@link #decoderOnly} graph, and
 * {@link #priorSample}. The graph computes in ND4J's default floating-point type at build time;
 * inputs are cast to the graph's type.
 */
public final class Autoencoder {

    /** The graph's input. */
    public static final String INPUT = "input";
    /** The bottleneck of ae and dae, {@code [N, latentSize]}. */
    public static final String CODE = "code";
    /** The posterior mean of vae, {@code [N, latentSize]}: its embedding. */
    public static final String LATENT_MEAN = "latent-mean";
    /** The posterior log variance of vae, {@code [N, latentSize]}. */
    public static final String LATENT_LOG_VARIANCE = "latent-log-variance";
    /** Mean and log variance side by side, {@code [N, 2 latentSize]}. */
    public static final String LATENT_PARAMS = "latent-params";
    /** The reparameterised sample fed to the decoder (the mean in inference). */
    public static final String LATENT_SAMPLE = "latent-sample";
    /** The KL output of vae, {@code [N, 1]}. */
    public static final String KL = "kl";
    /** The decoder's last layer, before the output activation: logits for bce. */
    public static final String DECODER_OUTPUT = "decoder-output";
    /** The reconstruction output, after the output activation, shaped like the input. */
    public static final String RECONSTRUCTION = "reconstruction";
    /** The input of a {@link #decoderOnly} graph, {@code [N, latentSize]}. */
    public static final String LATENT_INPUT = "latent";

    private static final int KERNEL = 3;

    private Autoencoder() {
    }

    /** The training graph with the optimizer's updater and weight decay. */
    public static ComputationGraphConfiguration configuration(AutoencoderConfig model, OptimizerConfig optimizer) {
        model.requireInputShape();
        GraphBuilder graph = optimizer.applyUpdater(baseBuilder(model)).graphBuilder();
        graph.addInputs(INPUT).setInputTypes(inputType(model));
        String latent = addLatent(graph, model, addEncoderTrunk(graph, model), false);
        String decoded = addDecoder(graph, model, latent);
        if (model.isImage()) {
            graph.addLayer(RECONSTRUCTION, new CnnLossLayer.Builder(model.trainingLoss())
                    .activation(model.outputActivationFunction())
                    .format(CNN2DFormat.NCHW)
                    .build(), decoded);
            reshapeFlatDecoderOutput(graph, model, RECONSTRUCTION);
        } else {
            graph.addLayer(RECONSTRUCTION, new LossLayer.Builder(model.trainingLoss())
                    .activation(model.outputActivationFunction())
                    .build(), decoded);
        }
        graph.setOutputs(outputs(model).toArray(String[]::new));
        return optimizer.applyWeightDecay(graph.build());
    }

    /** {@link #configuration} as an initialised graph (weights drawn from {@code model.seed()}). */
    public static ComputationGraph init(AutoencoderConfig model, OptimizerConfig optimizer) {
        ComputationGraph graph = new ComputationGraph(configuration(model, optimizer));
        graph.init();
        return graph;
    }

    /** The training graph's outputs in label order: {@code [reconstruction]}, or {@code [reconstruction, kl]}. */
    public static List<String> outputs(AutoencoderConfig model) {
        return model.isVariational() ? List.of(RECONSTRUCTION, KL) : List.of(RECONSTRUCTION);
    }

    /** The vertex of the embedding: {@value #CODE} for ae/dae, {@value #LATENT_MEAN} for vae. */
    public static String codeVertex(AutoencoderConfig model) {
        return model.isVariational() ? LATENT_MEAN : CODE;
    }

    /**
     * One training minibatch in the layout of the class documentation: features {@code [input]},
     * labels {@code [target]} (ae, dae) or {@code [target, zeros [N, 1]]} (vae).
     *
     * @param input  what the encoder sees: the clean batch, or for dae its corrupted copy
     * @param target the clean batch, same shape as {@code input}
     * @throws IllegalArgumentException when a shape is not {@code model.batchShape(N)}
     */
    public static MultiDataSet trainingBatch(AutoencoderConfig model, INDArray input, INDArray target) {
        checkShape(model, input, "input");
        checkShape(model, target, "target");
        if (input.size(0) != target.size(0)) {
            throw new IllegalArgumentException("input and target must have the same number of rows, got "
                    + input.size(0) + " and " + target.size(0));
        }
        INDArray[] labels = model.isVariational()
                ? new INDArray[] {target, Nd4j.zeros(target.dataType(), target.size(0), 1)}
                : new INDArray[] {target};
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {input}, labels);
    }

    /**
     * A graph holding the encoder only, its output {@link #codeVertex} (the code, or the posterior
     * mean for vae), with the parameters copied from {@code trained}. For embeddings and linear
     * probes; it has no loss and is not trained further.
     *
     * @throws IllegalArgumentException if {@code trained} lacks an encoder parameter of this config
     */
    public static ComputationGraph encoderOnly(ComputationGraph trained, AutoencoderConfig model) {
        model.requireInputShape();
        GraphBuilder graph = baseBuilder(model).graphBuilder();
        graph.addInputs(INPUT).setInputTypes(inputType(model));
        String code = addLatent(graph, model, addEncoderTrunk(graph, model), true);
        graph.setOutputs(code);
        return copiedFrom(trained, graph, model);
    }

    /**
     * A graph holding the decoder only: input {@value #LATENT_INPUT} {@code [N, latentSize]}, output
     * {@value #RECONSTRUCTION} after the output activation, shaped like the model's input; parameters
     * copied from {@code trained}. For {@link #decode} and sampling.
     *
     * @throws IllegalArgumentException if {@code trained} lacks a decoder parameter of this config
     */
    public static ComputationGraph decoderOnly(ComputationGraph trained, AutoencoderConfig model) {
        model.requireInputShape();
        GraphBuilder graph = baseBuilder(model).graphBuilder();
        graph.addInputs(LATENT_INPUT).setInputTypes(InputType.feedForward(model.latentSize()));
        String decoded = addDecoder(graph, model, LATENT_INPUT);
        graph.addLayer(RECONSTRUCTION, new ActivationLayer.Builder()
                .activation(model.outputActivationFunction())
                .build(), decoded);
        reshapeFlatDecoderOutput(graph, model, RECONSTRUCTION);
        graph.setOutputs(RECONSTRUCTION);
        return copiedFrom(trained, graph, model);
    }

    /**
     * The embedding of a batch in inference mode: {@code [N, ...inputShape] -> [N, latentSize]}, the
     * code (ae, dae) or the posterior mean (vae). Works on the training graph and on
     * {@link #encoderOnly} alike; on the training graph the decoder runs too, so bulk embedding should use
     * {@link #encoderOnly}.
     */
    public static INDArray encode(ComputationGraph graph, AutoencoderConfig model, INDArray inputs) {
        INDArray x = checkedInputs(graph, model, inputs);
        return inference(graph, x, codeVertex(model)).get(codeVertex(model));
    }

    /**
     * Reconstructions in inference mode, after the output activation, shaped like {@code inputs}
     * (vae: decoded from the posterior mean).
     */
    public static INDArray reconstruct(ComputationGraph trained, AutoencoderConfig model, INDArray inputs) {
        INDArray x = checkedInputs(trained, model, inputs);
        return inference(trained, x, RECONSTRUCTION).get(RECONSTRUCTION);
    }

    /**
     * The anomaly score of every example: its reconstruction error in inference mode, the mean over its
     * {@code D} elements of the configured element loss between the reconstruction of {@code inputs}
     * and {@code inputs} themselves ({@code mse}: squared error; {@code bce}: binary cross-entropy from
     * the logits). A vae reconstructs from its posterior mean. {@code [N, ...inputShape] -> [N]}.
     */
    public static INDArray reconstructionError(ComputationGraph trained, AutoencoderConfig model, INDArray inputs) {
        INDArray x = checkedInputs(trained, model, inputs);
        INDArray preOutput = inference(trained, x, DECODER_OUTPUT).get(DECODER_OUTPUT);
        return elementLosses(model, x, preOutput).mean(1);
    }

    /**
     * The negative evidence lower bound of every example of a vae, in nats, with beta = 1 whatever
     * {@code model.beta}: {@code sum_j l(x_j, decoder(mu)_j) + KL(q(z|x) || N(0, I))}. The
     * reconstruction term uses one latent value, the posterior mean mu (no sampling, so the score is
     * deterministic), and the KL is the closed form. With {@code bce} the first term is the Bernoulli
     * negative log-likelihood; with {@code mse} the sum of squared errors, a Gaussian decoder of
     * variance 1/2 without its constant {@code D/2 ln(pi)}. {@code [N, ...inputShape] -> [N]}.
     *
     * @throws IllegalArgumentException unless {@code model.kind} is vae
     */
    public static INDArray negativeElbo(ComputationGraph trained, AutoencoderConfig model, INDArray inputs) {
        if (!model.isVariational()) {
            throw new IllegalArgumentException("the negative ELBO needs model.kind vae, got " + model.kind()
                    + " (use reconstructionError as the anomaly score)");
        }
        INDArray x = checkedInputs(trained, model, inputs);
        Map<String, INDArray> out = inference(trained, x, DECODER_OUTPUT);
        INDArray kl = out.get(KL).reshape(x.size(0));                          // [N]
        return elementLosses(model, x, out.get(DECODER_OUTPUT)).sum(1).addi(kl);
    }

    /**
     * Decodes latent vectors {@code [N, latentSize]} with a {@link #decoderOnly} graph: outputs after the
     * output activation, {@code [N, ...inputShape]}.
     */
    public static INDArray decode(ComputationGraph decoder, AutoencoderConfig model, INDArray latents) {
        model.requireInputShape();
        if (latents.rank() != 2 || latents.size(1) != model.latentSize()) {
            throw new IllegalArgumentException("latents must have shape [N, " + model.latentSize()
                    + "] (model.latentSize), got " + Arrays.toString(latents.shape()));
        }
        INDArray z = latents.castTo(decoder.getConfiguration().getDataType());
        return decoder.output(List.of(RECONSTRUCTION), false, new INDArray[] {z}, null)[0];
    }

    /**
     * {@code n} draws from the vae prior {@code N(0, I)}, {@code [n, latentSize]} in the default
     * floating-point type, from {@code java.util.Random(seed)}: the same values on every backend.
     */
    public static INDArray priorSample(AutoencoderConfig model, int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("number of samples must be >= 1, got " + n);
        }
        Random random = new Random(seed);
        double[][] z = new double[n][model.latentSize()];
        for (double[] row : z) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return Nd4j.create(z).castTo(Nd4j.defaultFloatingPointType());
    }

    /** Settings every autoencoder graph shares: seed, weight init, data type. */
    private static NeuralNetConfiguration.Builder baseBuilder(AutoencoderConfig model) {
        return new NeuralNetConfiguration.Builder()
                .seed(model.seed())
                .weightInit(model.weightInitScheme())
                .dataType(Nd4j.defaultFloatingPointType());
    }

    private static InputType inputType(AutoencoderConfig model) {
        List<Integer> s = model.inputShape();
        return model.isImage()
                ? InputType.convolutional(s.get(1), s.get(2), s.get(0))
                : InputType.feedForward(s.get(0));
    }

    /** Convolution stages, then the dense hidden layers; returns the last vertex (the input if none). */
    private static String addEncoderTrunk(GraphBuilder graph, AutoencoderConfig model) {
        String x = INPUT;
        if (model.isConvolutional()) {
            List<Integer> channels = model.convChannels();
            for (int i = 0; i < channels.size(); i++) {
                x = conv(graph, "encoder-conv" + (i + 1), x, 2, channels.get(i), Activation.RELU);
            }
        }
        List<Integer> hidden = model.hiddenSizes();
        for (int i = 0; i < hidden.size(); i++) {
            x = dense(graph, "encoder-dense" + (i + 1), x, hidden.get(i), Activation.RELU);
        }
        return x;
    }

    /**
     * The bottleneck after {@code trunk}. Returns the vertex the decoder reads ({@value #CODE} or
     * {@value #LATENT_SAMPLE}); with {@code embeddingOnly} the vae stops at {@value #LATENT_MEAN}.
     */
    private static String addLatent(GraphBuilder graph, AutoencoderConfig model, String trunk, boolean embeddingOnly) {
        int latent = model.latentSize();
        if (!model.isVariational()) {
            return dense(graph, CODE, trunk, latent, Activation.IDENTITY);
        }
        dense(graph, LATENT_MEAN, trunk, latent, Activation.IDENTITY);
        if (embeddingOnly) {
            return LATENT_MEAN;
        }
        dense(graph, LATENT_LOG_VARIANCE, trunk, latent, Activation.IDENTITY);
        graph.addVertex(LATENT_PARAMS, new MergeVertex(), LATENT_MEAN, LATENT_LOG_VARIANCE);
        graph.addLayer(LATENT_SAMPLE, new GaussianSample(LATENT_SAMPLE), LATENT_PARAMS);
        graph.addLayer(KL, new KlDivergence(KL, model.klWarmup()), LATENT_PARAMS);
        return LATENT_SAMPLE;
    }

    /** The decoder after {@code latent}; returns {@value #DECODER_OUTPUT} (pre-activation). */
    private static String addDecoder(GraphBuilder graph, AutoencoderConfig model, String latent) {
        String x = latent;
        List<Integer> hidden = new ArrayList<>(model.hiddenSizes());
        Collections.reverse(hidden);
        for (int i = 0; i < hidden.size(); i++) {
            x = dense(graph, "decoder-dense" + (i + 1), x, hidden.get(i), Activation.RELU);
        }
        if (!model.isConvolutional()) {
            return dense(graph, DECODER_OUTPUT, x, model.inputSize(), Activation.IDENTITY);
        }
        List<Integer> channels = model.convChannels();
        int stages = channels.size();
        int top = channels.get(stages - 1);
        int height = model.inputShape().get(1) >> stages;
        int width = model.inputShape().get(2) >> stages;
        x = dense(graph, "decoder-project", x, (long) top * height * width, Activation.RELU);
        for (int i = 1; i <= stages; i++) {
            String up = "decoder-upsample" + i;
            graph.addLayer(up, new Upsampling2D.Builder(2).build(), x);
            if (i == 1) {
                graph.inputPreProcessor(up, new FeedForwardToCnnPreProcessor(height, width, top)); // [N, top, h, w]
            }
            boolean last = i == stages;
            x = conv(graph, last ? DECODER_OUTPUT : "decoder-conv" + i, up, 1,
                    last ? model.inputShape().get(0) : channels.get(stages - 1 - i),
                    last ? Activation.IDENTITY : Activation.RELU);
        }
        return x;
    }

    /** A dense decoder of images ends flat {@code [N, C*H*W]}: reshape to {@code [N, C, H, W]} before {@code layer}. */
    private static void reshapeFlatDecoderOutput(GraphBuilder graph, AutoencoderConfig model, String layer) {
        if (model.isImage() && !model.isConvolutional()) {
            List<Integer> s = model.inputShape();
            graph.inputPreProcessor(layer, new FeedForwardToCnnPreProcessor(s.get(1), s.get(2), s.get(0)));
        }
    }

    private static String dense(GraphBuilder graph, String name, String input, long width, Activation activation) {
        graph.addLayer(name, new DenseLayer.Builder().nOut(width).activation(activation).build(), input);
        return name;
    }

    /** 3x3 convolution with bias, same padding: the spatial size is divided by {@code stride}. */
    private static String conv(GraphBuilder graph, String name, String input, int stride, int channels,
            Activation activation) {
        graph.addLayer(name, new ConvolutionLayer.Builder(KERNEL, KERNEL)
                .stride(stride, stride)
                .convolutionMode(ConvolutionMode.Same)
                .nOut(channels)
                .activation(activation)
                .build(), input);
        return name;
    }

    /** Builds {@code graph} and copies every parameter from {@code trained} by name. */
    private static ComputationGraph copiedFrom(ComputationGraph trained, GraphBuilder graph, AutoencoderConfig model) {
        ComputationGraph result = new ComputationGraph(graph.build());
        result.init();
        Map<String, INDArray> source = trained.paramTable();
        for (Map.Entry<String, INDArray> target : result.paramTable().entrySet()) {
            INDArray values = source.get(target.getKey());
            if (values == null || !Arrays.equals(values.shape(), target.getValue().shape())) {
                throw new IllegalArgumentException("trained graph has no parameter " + target.getKey() + " of shape "
                        + Arrays.toString(target.getValue().shape()) + " (got "
                        + (values == null ? "none" : Arrays.toString(values.shape()))
                        + "): was it built from this model config (kind " + model.kind() + ", architecture "
                        + model.architecture() + ", inputShape " + model.inputShape() + ")?");
            }
            target.getValue().assign(values);
        }
        return result;
    }

    /**
     * Activations of {@code vertex} and of every network output, in inference mode. The whole graph runs:
     * asked for an inner vertex and an output that ends earlier in the topological order, DL4J 1.0.0-M2.1's
     * partial forward pass can leave a workspace open (seen with the vae's decoder reading the latent sample
     * directly).
     */
    private static Map<String, INDArray> inference(ComputationGraph graph, INDArray x, String vertex) {
        List<String> names = new ArrayList<>(graph.getConfiguration().getNetworkOutputs());
        if (!names.contains(vertex)) {
            names.add(vertex);
        }
        INDArray[] values = graph.output(names, false, new INDArray[] {x}, null);
        Map<String, INDArray> out = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), values[i]);
        }
        return out;
    }

    /** Element losses {@code [N, D]} of the reconstruction of {@code x} from the decoder's pre-activation. */
    private static INDArray elementLosses(AutoencoderConfig model, INDArray x, INDArray preOutput) {
        long n = x.size(0);
        long d = model.inputSize();
        ReconstructionLoss loss = new ReconstructionLoss(model.reconstructionKind(), 1.0);
        return loss.elementLosses(x.reshape('c', n, d), preOutput.reshape('c', n, d),
                model.outputActivationFunction().getActivationFunction());
    }

    private static INDArray checkedInputs(ComputationGraph graph, AutoencoderConfig model, INDArray inputs) {
        checkShape(model, inputs, "inputs");
        return inputs.castTo(graph.getConfiguration().getDataType());
    }

    private static void checkShape(AutoencoderConfig model, INDArray array, String what) {
        model.requireInputShape();
        long[] expected = model.batchShape(array.rank() > 0 ? array.size(0) : 0);
        if (!Arrays.equals(expected, array.shape()) || array.size(0) < 1) {
            String shape = model.inputShape().toString().replace("[", "[N, ");
            throw new IllegalArgumentException(what + " must have shape " + shape + " (model.inputShape "
                    + model.inputShape() + "), got " + Arrays.toString(array.shape()));
        }
    }
}
