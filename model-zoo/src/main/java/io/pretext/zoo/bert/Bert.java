package io.pretext.zoo.bert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.pretext.zoo.layers.ActivationErfGelu;
import io.pretext.zoo.layers.LayerNorm;
import io.pretext.zoo.layers.MultiHeadSelfAttention;
import io.pretext.zoo.layers.PositionGatherVertex;
import io.pretext.zoo.layers.PositionwiseFeedForward;
import io.pretext.zoo.layers.SelectTokenVertex;
import io.pretext.zoo.layers.SequenceEmbedding;
import io.pretext.zoo.layers.SparseSoftmaxOutput;
import io.pretext.zoo.layers.SumVertex;
import io.pretext.zoo.layers.TiedProjectionVertex;
import io.pretext.zoo.optim.OptimizerConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.TruncatedNormalDistribution;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * BERT (Devlin et al. 2019) for masked-LM and next-sentence-prediction pretraining, as a DL4J
 * ComputationGraph of the transformer layers in {@code io.pretext.zoo.layers}.
 *
 * <pre>
 *   tokens [B, T], segments [B, T]                         (padding mask [B, T]: features mask of tokens)
 *     "embeddings-token"   token table + learned positions  [B, T, H]
 *     "embeddings-segment" segment table                    [B, T, H]
 *     "embeddings-sum" -> "embeddings": LayerNorm, dropout  [B, T, H]
 *     "encoder-i-attention", "encoder-i-ffn", i = 0..L-1   post-LN blocks, padded keys get no attention
 *                                                           [B, T, H]  = sequenceOutput(model)
 *   NSP: "cls" (position 0) -> "pooler" Dense + tanh -> "nsp" Dense + softmax, cross-entropy   [B, 2]
 *   MLM: "mlm-gather" (maskedPositions [B, P]) -> "mlm-transform" Dense + GELU -> "mlm-norm" LayerNorm
 *        -> "mlm-decoder" x E^T (E = token table, or own weights untied) -> "mlm" bias, softmax,
 *        cross-entropy averaged over the predictions the labels mask selects                [B * P, V]
 * </pre>
 *
 * <b>Training data</b>, one {@code MultiDataSet} per minibatch (float arrays in the graph's data type; the
 * integral arrays may be any numeric type):
 * <pre>
 *   features[0]       tokens           [B, T]  WordPiece ids in [0, vocabSize); [CLS] A [SEP] B [SEP] [PAD]...
 *   features[1]       segments         [B, T]  0 for [CLS], A and its [SEP]; 1 for B and its [SEP]; 0 on padding
 *   features[2]       maskedPositions  [B, P]  positions in [0, T) of the tokens to predict; unused slots 0
 *   featuresMasks[0]  attention mask   [B, T]  1 = real token, 0 = padding (padded keys get no attention)
 *   featuresMasks[1]  null (or the same mask; ignored), featuresMasks[2] null
 *   labels[0]         MLM labels       [B, P]  original ids at maskedPositions; unused slots 0
 *   labels[1]         NSP labels       [B, 2]  one-hot: [1, 0] = B follows A (IsNext), [0, 1] = random B
 *   labelsMasks[0]    MLM weights      [B, P]  1 = a real prediction, 0 = unused slot (contributes nothing)
 *   labelsMasks[1]    null
 * </pre>
 * The network output is {@code [mlm, nsp]}: MLM probabilities {@code [B * P, vocabSize]} (row {@code b * P + j}
 * for slot {@code [b, j]}) and NSP probabilities {@code [B, 2]}. The score is the MLM cross-entropy averaged over
 * the weighted predictions plus the NSP cross-entropy averaged over the batch. The vocabulary projection runs on
 * the gathered slots only, as in BERT's own pretraining code (about 15% of the positions); to get the MLM
 * distribution at every position, give {@code maskedPositions} = 0..T-1 for each example. The graph computes in
 * ND4J's default floating-point type, float unless the application changes it.
 *
 * <p>For embeddings and probes: {@link #encoderOnly}; for fine-tuning: {@link #classifier} and
 * {@link #copyPretrainedParams}.
 */
public final class Bert {

    /** Input: token ids [B, T]; its features mask is the attention (padding) mask [B, T]. */
    public static final String TOKENS = "tokens";
    /** Input: segment (token type) ids [B, T]. */
    public static final String SEGMENTS = "segments";
    /** Input of the pretraining graph: positions to predict [B, P]. */
    public static final String MASKED_POSITIONS = "maskedPositions";

    public static final String TOKEN_EMBEDDING = "embeddings-token";
    public static final String SEGMENT_EMBEDDING = "embeddings-segment";
    public static final String EMBEDDING_SUM = "embeddings-sum";
    /** Normalised (and in training dropped-out) embeddings [B, T, H], the encoder's input. */
    public static final String EMBEDDINGS = "embeddings";
    /** Hidden state of the [CLS] token (position 0) of the last block [B, H]. */
    public static final String CLS = "cls";
    /** Pooled output: Dense + tanh of the [CLS] state [B, H]. */
    public static final String POOLER = "pooler";
    public static final String MLM_GATHER = "mlm-gather";
    public static final String MLM_TRANSFORM = "mlm-transform";
    public static final String MLM_NORM = "mlm-norm";
    public static final String MLM_DECODER = "mlm-decoder";
    /** Output: masked-LM probabilities [B * P, V], loss over the masked positions. */
    public static final String MLM = "mlm";
    /** Output: next-sentence probabilities [B, 2]. */
    public static final String NSP = "nsp";
    /** Output of {@link #classifier}: class probabilities [B, classes]. */
    public static final String CLASSIFIER = "classifier";

    private Bert() {
    }

    /** The attention sub-layer of encoder block {@code block} (0-based). */
    public static String attention(int block) {
        return "encoder-" + block + "-attention";
    }

    /** The feed-forward sub-layer of encoder block {@code block} (0-based), the block's output. */
    public static String feedForward(int block) {
        return "encoder-" + block + "-ffn";
    }

    /** The vertex holding the last block's hidden states [B, T, H]. */
    public static String sequenceOutput(BertConfig model) {
        return feedForward(model.sizes().layers() - 1);
    }

    /** The pretraining graph (MLM + NSP) with the optimizer's updater and weight decay. */
    public static ComputationGraphConfiguration configuration(BertConfig model, OptimizerConfig optimizer) {
        BertConfig.Sizes s = model.sizes();
        int vocab = model.requireVocabSize();
        GraphBuilder graph = optimizer.applyUpdater(baseBuilder(model)).graphBuilder();
        graph.addInputs(TOKENS, SEGMENTS, MASKED_POSITIONS);
        String sequence = addEncoder(graph, model);
        String pooled = addPooler(graph, model, sequence);

        graph.addVertex(MLM_GATHER, new PositionGatherVertex(), sequence, MASKED_POSITIONS);  // [B*P, H]
        graph.addLayer(MLM_TRANSFORM, new DenseLayer.Builder()
                .nIn(s.hiddenSize()).nOut(s.hiddenSize())
                .activation(new ActivationErfGelu())
                .build(), MLM_GATHER);
        graph.addLayer(MLM_NORM, new LayerNorm(s.hiddenSize(), model.layerNormEpsilon(), 0.0), MLM_TRANSFORM);
        if (model.tieWordEmbeddings()) {
            graph.addVertex(MLM_DECODER, new TiedProjectionVertex(TOKEN_EMBEDDING, vocab), MLM_NORM); // [B*P, V]
        } else {
            graph.addLayer(MLM_DECODER, new DenseLayer.Builder()
                    .nIn(s.hiddenSize()).nOut(vocab)
                    .hasBias(false)
                    .activation(Activation.IDENTITY)
                    .build(), MLM_NORM);
        }
        graph.addLayer(MLM, new SparseSoftmaxOutput(vocab), MLM_DECODER);

        graph.addLayer(NSP, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(s.hiddenSize()).nOut(2)
                .activation(Activation.SOFTMAX)
                .build(), pooled);
        graph.setOutputs(MLM, NSP);
        return optimizer.applyWeightDecay(graph.build());
    }

    /** {@link #configuration} as an initialised graph (weights drawn from {@code model.seed()}). */
    public static ComputationGraph init(BertConfig model, OptimizerConfig optimizer) {
        ComputationGraph graph = new ComputationGraph(configuration(model, optimizer));
        graph.init();
        return graph;
    }

    /**
     * Number of parameters of the pretraining graph, from the architecture (the tied decoder adds only its
     * bias):
     * <pre>
     *   embeddings  (V + maxPositions + typeVocabSize) H + 2H
     *   per block   (3H^2 + 3H) + (H^2 + H) + 2H + (H I + I) + (I H + H) + 2H
     *   pooler      H^2 + H
     *   MLM head    (H^2 + H) + 2H + V (+ H V untied)
     *   NSP head    2H + 2
     * </pre>
     */
    public static long parameterCount(BertConfig model) {
        BertConfig.Sizes s = model.sizes();
        long h = s.hiddenSize();
        long i = s.intermediateSize();
        long v = model.requireVocabSize();
        long embeddings = (v + model.maxPositions() + model.typeVocabSize()) * h + 2 * h;
        long block = (3 * h * h + 3 * h) + (h * h + h) + 2 * h + (h * i + i) + (i * h + h) + 2 * h;
        long pooler = h * h + h;
        long mlm = (h * h + h) + 2 * h + v + (model.tieWordEmbeddings() ? 0 : h * v);
        long nsp = 2 * h + 2;
        return embeddings + s.layers() * block + pooler + mlm + nsp;
    }

    /** Number of parameters a configuration's layers allocate, without initialising it. */
    public static long parameterCount(ComputationGraphConfiguration conf) {
        long count = 0;
        for (GraphVertex vertex : conf.getVertices().values()) {
            count += vertex.numParams(true);
        }
        return count;
    }

    /**
     * The encoder alone, for embeddings and probes: inputs {@code [tokens, segments]} (attention mask as the
     * features mask of tokens), outputs {@code [sequenceOutput(model), CLS, POOLER]}, i.e. per-token hidden
     * states [B, T, H], the [CLS] state [B, H] and the pooled output [B, H].
     */
    public static ComputationGraphConfiguration encoderConfiguration(BertConfig model) {
        GraphBuilder graph = baseBuilder(model).graphBuilder();
        graph.addInputs(TOKENS, SEGMENTS);
        String sequence = addEncoder(graph, model);
        addPooler(graph, model, sequence);
        graph.setOutputs(sequence, CLS, POOLER);
        return graph.build();
    }

    /**
     * {@link #encoderConfiguration} with the parameters copied from {@code trained} (a pretraining graph or
     * another encoder of the same model configuration). Dropout is inactive in inference
     * ({@code output(false, ...)}, {@link #encode}).
     *
     * @throws IllegalArgumentException if {@code trained} lacks an encoder parameter of this configuration
     */
    public static ComputationGraph encoderOnly(ComputationGraph trained, BertConfig model) {
        ComputationGraph encoder = new ComputationGraph(encoderConfiguration(model));
        encoder.init();
        List<String> missing = new ArrayList<>(encoder.paramTable().keySet());
        missing.removeAll(copyPretrainedParams(trained, encoder));
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("trained graph has no parameters " + missing + " of matching shape: "
                    + "was it built from this model config (" + model.sizes() + ", vocabSize " + model.vocabSize()
                    + ")?");
        }
        return encoder;
    }

    /** The outputs of {@link #encode}. */
    public record Features(INDArray sequence, INDArray cls, INDArray pooled) {
    }

    /**
     * Runs an {@link #encoderOnly} graph in inference mode.
     *
     * @param tokens   [B, T] token ids
     * @param segments [B, T] segment ids
     * @param mask     [B, T] 1 = token, 0 = padding; {@code null} if nothing is padded
     * @return hidden states [B, T, H], [CLS] states [B, H] and pooled outputs [B, H]
     */
    public static Features encode(ComputationGraph encoder, INDArray tokens, INDArray segments, INDArray mask) {
        INDArray[] out = encoder.output(false, new INDArray[] {tokens, segments},
                mask == null ? null : new INDArray[] {mask, null});
        return new Features(out[0], out[1], out[2]);
    }

    /**
     * How much faster than the pretrained layers the new classification head learns when fine-tuning: the head
     * starts from small random weights, and the low learning rates that keep a pretrained encoder intact move it
     * slowly within the few hundred steps of a small labelled set.
     */
    public static final double HEAD_LEARNING_RATE_FACTOR = 10;

    /**
     * A sequence classifier for fine-tuning: the encoder and pooler, then dropout ({@code model.dropout}) and a
     * softmax layer over {@code classes} trained with cross-entropy against one-hot labels [B, classes]. The head
     * learns {@link #HEAD_LEARNING_RATE_FACTOR} times faster than the rest (same schedule).
     * Inputs {@code [tokens, segments]} (attention mask as the features mask of tokens); output
     * {@link #CLASSIFIER}. The graph is freshly initialised: bring in pretrained weights with
     * {@link #copyPretrainedParams}.
     */
    public static ComputationGraph classifier(BertConfig model, int classes, OptimizerConfig optimizer) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs >= 2 classes, got " + classes);
        }
        GraphBuilder graph = optimizer.applyUpdater(baseBuilder(model)).graphBuilder();
        graph.addInputs(TOKENS, SEGMENTS);
        String sequence = addEncoder(graph, model);
        String pooled = addPooler(graph, model, sequence);
        OutputLayer.Builder head = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(model.sizes().hiddenSize()).nOut(classes)
                .activation(Activation.SOFTMAX)
                .updater(optimizer.withLearningRateScaled(HEAD_LEARNING_RATE_FACTOR).updater());
        if (model.dropout() > 0) {
            head.dropOut(new Dropout(1.0 - model.dropout()));          // DL4J takes the retain probability
        }
        graph.addLayer(CLASSIFIER, head.build(), pooled);
        graph.setOutputs(CLASSIFIER);
        ComputationGraph result = new ComputationGraph(optimizer.applyWeightDecay(graph.build()));
        result.init();
        return result;
    }

    /**
     * Copies into {@code target} every parameter that {@code source} has under the same name and shape (the
     * embeddings, encoder blocks and pooler between a pretraining graph and an encoder or classifier built
     * from the same model configuration); the others keep their values.
     *
     * @return the names of the copied parameters
     */
    public static List<String> copyPretrainedParams(ComputationGraph source, ComputationGraph target) {
        Map<String, INDArray> from = source.paramTable();
        List<String> copied = new ArrayList<>();
        for (Map.Entry<String, INDArray> to : target.paramTable().entrySet()) {
            INDArray values = from.get(to.getKey());
            if (values != null && Arrays.equals(values.shape(), to.getValue().shape())) {
                to.getValue().assign(values);
                copied.add(to.getKey());
            }
        }
        return copied;
    }

    /** Settings every BERT graph shares: seed, truncated normal initialisation, data type. */
    private static NeuralNetConfiguration.Builder baseBuilder(BertConfig model) {
        return new NeuralNetConfiguration.Builder()
                .seed(model.seed())
                .weightInit(new TruncatedNormalDistribution(0, model.initializerRange()))
                .dataType(Nd4j.defaultFloatingPointType());
    }

    /** Adds embeddings and encoder blocks after the inputs {@link #TOKENS} and {@link #SEGMENTS}. */
    private static String addEncoder(GraphBuilder graph, BertConfig model) {
        BertConfig.Sizes s = model.sizes();
        int hidden = s.hiddenSize();
        double eps = model.layerNormEpsilon();
        graph.addLayer(TOKEN_EMBEDDING, new SequenceEmbedding(model.requireVocabSize(), hidden, model.maxPositions()),
                TOKENS);
        graph.addLayer(SEGMENT_EMBEDDING, new SequenceEmbedding(model.typeVocabSize(), hidden, 0), SEGMENTS);
        graph.addVertex(EMBEDDING_SUM, new SumVertex(), TOKEN_EMBEDDING, SEGMENT_EMBEDDING);
        graph.addLayer(EMBEDDINGS, new LayerNorm(hidden, eps, model.dropout()), EMBEDDING_SUM);
        String previous = EMBEDDINGS;
        for (int block = 0; block < s.layers(); block++) {
            graph.addLayer(attention(block), new MultiHeadSelfAttention(hidden, s.heads(), model.attentionDropout(),
                    model.dropout(), eps), previous);
            graph.addLayer(feedForward(block), new PositionwiseFeedForward(hidden, s.intermediateSize(),
                    model.dropout(), eps), attention(block));
            previous = feedForward(block);
        }
        return previous;
    }

    /** Adds the [CLS] selection and the pooler after {@code sequence}; returns the pooler. */
    private static String addPooler(GraphBuilder graph, BertConfig model, String sequence) {
        int hidden = model.sizes().hiddenSize();
        graph.addVertex(CLS, new SelectTokenVertex(0), sequence);
        graph.addLayer(POOLER, new DenseLayer.Builder()
                .nIn(hidden).nOut(hidden)
                .activation(Activation.TANH)
                .build(), CLS);
        return POOLER;
    }
}
