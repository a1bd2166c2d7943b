package io.pretext.zoo.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pretext.zoo.layers.LayerNorm;
import io.pretext.zoo.layers.MultiHeadSelfAttention;
import io.pretext.zoo.layers.SequenceEmbedding;
import io.pretext.zoo.layers.SparseSoftmaxOutput;
import io.pretext.zoo.optim.OptimizerConfig;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class BertTest {

    private static final Logger log = LoggerFactory.getLogger(BertTest.class);

    private static final int VOCAB = 30;
    private static final int SEQ = 6;

    /** The gradient-check model: vocabulary 30, hidden 8, 2 heads, 2 blocks, 8 positions. */
    private static final BertConfig TINY = new BertConfig("", 2, 8, 2, 16, 8, VOCAB, 2, 0.1, 0.1, 1e-12, 0.02, true,
            3);

    /**
     * {@link #TINY} for gradient checks: no dropout, and weights drawn with standard deviation 0.5 instead of
     * BERT's 0.02, so that queries and keys (whose gradients scale with the attention logits) get gradients well
     * above the absolute tolerance.
     */
    private static final BertConfig CHECKED = new BertConfig("", 2, 8, 2, 16, 8, VOCAB, 2, 0, 0, 1e-12, 0.5, true,
            3);

    private static final OptimizerConfig ADAM = new OptimizerConfig("adam", 5e-3, 0.9, true, 0.0, 0, 0, 0.0,
            "constant");
    private static final OptimizerConfig SGD_1 = new OptimizerConfig("sgd", 1.0, 0.0, false, 0.0, 0, 0, 0.0,
            "constant");

    @BeforeEach
    void floatPrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    /** Two examples, the second with two padded positions, 3 MLM slots each (one unused in the second). */
    private static MultiDataSet tinyBatch(long seed) {
        return BertBatches.batch(VOCAB, SEQ, 3, new int[] {SEQ, 4}, seed);
    }

    private static Layer layer(ComputationGraphConfiguration conf, String name) {
        return ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
    }

    private static Gradient gradient(ComputationGraph graph, MultiDataSet data) {
        graph.setInputs(data.getFeatures());
        graph.setLabels(data.getLabels());
        graph.setLayerMaskArrays(data.getFeaturesMaskArrays(), data.getLabelsMaskArrays());
        graph.computeGradientAndScore();
        return graph.gradient();
    }

    // ---- architecture

    @ParameterizedTest
    @EnumSource(BertPreset.class)
    void presetsHaveTheArchitecturesParameterCount(BertPreset preset) {
        BertConfig model = BertConfig.preset(preset).withVocabSize(30522);

        long count = Bert.parameterCount(Bert.configuration(model, ADAM));

        log.info("{}: {} parameters with the bert-base-uncased vocabulary", preset.key(), count);
        assertEquals(Bert.parameterCount(model), count);
    }

    @Test
    void bertBaseHasTheReferenceParameterCounts() {
        BertConfig base = BertConfig.preset(BertPreset.BERT_BASE).withVocabSize(30522);

        // bert-base-uncased: 109,482,240 in the encoder with pooler; 110,106,428 with the pretraining heads
        assertEquals(109_482_240L, Bert.parameterCount(Bert.encoderConfiguration(base)));
        assertEquals(110_106_428L, Bert.parameterCount(base));
    }

    @Test
    void initialisedGraphHasTheConfiguredParameterCount() {
        BertConfig untied = new BertConfig("", 2, 16, 4, 0, 12, 40, 2, 0.1, 0.1, 1e-12, 0.02, false, 1);

        assertEquals(Bert.parameterCount(TINY), Bert.init(TINY, ADAM).numParams());
        assertEquals(Bert.parameterCount(untied), Bert.init(untied, ADAM).numParams());
        assertEquals(Bert.parameterCount(TINY) + (long) VOCAB * 8,
                Bert.parameterCount(new BertConfig("", 2, 8, 2, 16, 8, VOCAB, 2, 0.1, 0.1, 1e-12, 0.02, false, 3)));
    }

    @Test
    void graphWiresTheDocumentedInputsAndOutputs() {
        ComputationGraphConfiguration conf = Bert.configuration(TINY, ADAM);

        assertEquals(List.of(Bert.TOKENS, Bert.SEGMENTS, Bert.MASKED_POSITIONS), conf.getNetworkInputs());
        assertEquals(List.of(Bert.MLM, Bert.NSP), conf.getNetworkOutputs());
        assertEquals("encoder-1-ffn", Bert.sequenceOutput(TINY));
        assertEquals(List.of(Bert.sequenceOutput(TINY), Bert.MASKED_POSITIONS),
                conf.getVertexInputs().get(Bert.MLM_GATHER));
        assertEquals(List.of(Bert.POOLER), conf.getVertexInputs().get(Bert.NSP));
        assertEquals(DataType.FLOAT, conf.getDataType());
        SequenceEmbedding tokens = (SequenceEmbedding) layer(conf, Bert.TOKEN_EMBEDDING);
        assertEquals(VOCAB, tokens.getVocabSize());
        assertEquals(8, tokens.getMaxPositions());
        assertEquals(VOCAB, ((SparseSoftmaxOutput) layer(conf, Bert.MLM)).getClasses());
    }

    @Test
    void weightsStartFromATruncatedNormalOfTheInitializerRange() {
        BertConfig model = new BertConfig("", 1, 64, 2, 0, 16, 2000, 2, 0.1, 0.1, 1e-12, 0.02, true, 4);

        ComputationGraph graph = Bert.init(model, ADAM);

        INDArray table = graph.getParam(Bert.TOKEN_EMBEDDING + "_" + SequenceEmbedding.WEIGHT_KEY);
        INDArray qkv = graph.getParam(Bert.attention(0) + "_" + MultiHeadSelfAttention.QKV_WEIGHT_KEY);
        for (INDArray w : new INDArray[] {table, qkv}) {
            // a normal cut at 2 standard deviations keeps 0.8796 of the standard deviation
            assertEquals(0.02 * 0.8796, w.stdNumber().doubleValue(), 0.0005);
            assertEquals(0, w.meanNumber().doubleValue(), 0.0005);
            assertTrue(w.amaxNumber().doubleValue() <= 0.04 + 1e-7, "max |w| = " + w.amaxNumber());
        }
        assertEquals(0.0, graph.getParam(Bert.attention(0) + "_" + MultiHeadSelfAttention.QKV_BIAS_KEY)
                .amaxNumber().doubleValue());
        assertEquals(1.0, graph.getParam(Bert.EMBEDDINGS + "_" + LayerNorm.GAMMA_KEY).minNumber().doubleValue());
        assertEquals(1.0, graph.getParam(Bert.EMBEDDINGS + "_" + LayerNorm.GAMMA_KEY).maxNumber().doubleValue());
    }

    @Test
    void weightDecayReachesWeightsButNotBiasesOrLayerNorms() {
        OptimizerConfig adamw = new OptimizerConfig("adamw", 1e-3, 0.9, true, 0.01, 0, 0, 0.0, "constant");

        ComputationGraphConfiguration conf = Bert.configuration(TINY, adamw);

        List<?> decay = List.of(new WeightDecay(0.01, true));
        BaseLayer embedding = (BaseLayer) layer(conf, Bert.TOKEN_EMBEDDING);
        assertEquals(decay, embedding.getRegularizationByParam(SequenceEmbedding.WEIGHT_KEY));
        assertEquals(decay, embedding.getRegularizationByParam(SequenceEmbedding.POSITIONS_KEY));
        BaseLayer attention = (BaseLayer) layer(conf, Bert.attention(0));
        assertEquals(decay, attention.getRegularizationByParam(MultiHeadSelfAttention.QKV_WEIGHT_KEY));
        assertTrue(attention.getRegularizationByParam(MultiHeadSelfAttention.QKV_BIAS_KEY).isEmpty());
        assertEquals(null, attention.getRegularizationByParam(MultiHeadSelfAttention.GAMMA_KEY));
        assertEquals(null, ((BaseLayer) layer(conf, Bert.EMBEDDINGS)).getRegularizationByParam(LayerNorm.GAMMA_KEY));
        assertTrue(((BaseLayer) layer(conf, Bert.EMBEDDINGS)).getRegularizationByParam(LayerNorm.BETA_KEY).isEmpty());
        assertTrue(((BaseLayer) layer(conf, Bert.MLM)).getRegularizationByParam(SparseSoftmaxOutput.BIAS_KEY)
                .isEmpty());
    }

    // ---- gradients

    @Test
    void wholeModelGradientsMatchNumericalGradients() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraph graph = Bert.init(CHECKED, SGD_1);
        MultiDataSet data = tinyBatch(5);
        assertTrue(gradient(graph, data).gradient().norm2Number().doubleValue() > 1e-3);

        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(data.getFeatures())
                .labels(data.getLabels())
                .inputMask(data.getFeaturesMaskArrays())
                .labelMask(data.getLabelsMaskArrays())
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));

        assertTrue(passed);
    }

    @Test
    void unusedPredictionSlotsContributeExactlyNothing() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraph graph = Bert.init(CHECKED, SGD_1);
        MultiDataSet data = tinyBatch(6);
        INDArray weights = data.getLabelsMaskArrays()[0];
        assertEquals(0.0, weights.getDouble(1, 2), "the second example's last slot is unused");
        INDArray before = gradient(graph, data).gradient().dup();
        double score = graph.score();

        data.getFeatures()[2].putScalar(1, 2, 3);          // another position
        data.getLabels()[0].putScalar(1, 2, 17);           // another label
        INDArray after = gradient(graph, data).gradient();

        assertEquals(score, graph.score());
        assertEquals(before, after);
    }

    @Test
    void paddedTokensContributeExactlyNothing() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraph graph = Bert.init(CHECKED, SGD_1);
        // positions 4 and 5 are padding in both examples
        MultiDataSet data = BertBatches.batch(VOCAB, SEQ, 2, new int[] {4, 4}, 7);
        INDArray before = gradient(graph, data).gradient().dup();
        double score = graph.score();
        INDArray positionGrad = graph.gradient().getGradientFor(Bert.TOKEN_EMBEDDING + "_"
                + SequenceEmbedding.POSITIONS_KEY);
        assertEquals(0.0, positionGrad.get(NDArrayIndex.interval(4, 6), NDArrayIndex.all()).amaxNumber()
                .doubleValue());
        assertTrue(positionGrad.get(NDArrayIndex.interval(0, 4), NDArrayIndex.all()).amaxNumber().doubleValue() > 0);

        data.getFeatures()[0].get(NDArrayIndex.all(), NDArrayIndex.interval(4, 6)).assign(21);
        data.getFeatures()[1].get(NDArrayIndex.all(), NDArrayIndex.interval(4, 6)).assign(1);
        INDArray after = gradient(graph, data).gradient();

        assertEquals(score, graph.score());
        assertEquals(before, after);
    }

    // ---- training

    /** MLM cross-entropy over the weighted slots and NSP cross-entropy, in inference mode. */
    private static double[] losses(ComputationGraph graph, MultiDataSet data) {
        INDArray[] out = graph.output(false, data.getFeatures(), data.getFeaturesMaskArrays());
        INDArray mlm = out[0];
        INDArray labels = data.getLabels()[0];
        INDArray weights = data.getLabelsMaskArrays()[0];
        long slots = labels.size(1);
        double mlmSum = 0;
        double count = 0;
        for (int r = 0; r < mlm.size(0); r++) {
            double w = weights.getDouble(r / slots, r % slots);
            mlmSum -= w * Math.log(mlm.getDouble(r, labels.getInt((int) (r / slots), (int) (r % slots))));
            count += w;
        }
        INDArray nsp = out[1];
        INDArray nspLabels = data.getLabels()[1];
        double nspSum = 0;
        for (int b = 0; b < nsp.size(0); b++) {
            nspSum -= Math.log(nsp.getDouble(b, nspLabels.getDouble(b, 0) == 1 ? 0 : 1));
        }
        return new double[] {mlmSum / count, nspSum / nsp.size(0)};
    }

    @Test
    void fewAdamStepsReduceBothLosses() {
        ComputationGraph graph = Bert.init(TINY, ADAM);
        MultiDataSet data = BertBatches.batch(VOCAB, SEQ, 3, new int[] {6, 5, 6, 4}, 8);
        double[] before = losses(graph, data);

        for (int i = 0; i < 40; i++) {
            graph.fit(data);
        }
        double[] after = losses(graph, data);

        log.info("tiny BERT on a fixed batch of 4: MLM {} -> {} (ln 30 = {}), NSP {} -> {} after 40 Adam steps",
                before[0], after[0], Math.log(VOCAB), before[1], after[1]);
        assertEquals(DataType.FLOAT, graph.params().dataType());
        assertTrue(after[0] < before[0] - 0.5, "MLM " + before[0] + " -> " + after[0]);
        assertTrue(after[1] < before[1] - 0.1, "NSP " + before[1] + " -> " + after[1]);
    }

    @Test
    void dropoutActsInTrainingOnly() {
        ComputationGraph graph = Bert.init(TINY, ADAM);
        MultiDataSet data = tinyBatch(10);
        List<String> sequence = List.of(Bert.sequenceOutput(TINY));

        INDArray inference = graph.output(sequence, false, data.getFeatures(), data.getFeaturesMaskArrays())[0];
        INDArray again = graph.output(sequence, false, data.getFeatures(), data.getFeaturesMaskArrays())[0];
        INDArray training = graph.output(sequence, true, data.getFeatures(), data.getFeaturesMaskArrays())[0];

        assertEquals(inference, again);
        assertTrue(training.sub(inference).amaxNumber().doubleValue() > 0.1);
    }

    @Test
    void scoreIsTheSumOfTheMaskedLmAndNextSentenceLosses() {
        ComputationGraph graph = Bert.init(TINY, ADAM);
        MultiDataSet data = tinyBatch(9);

        double[] losses = losses(graph, data);

        assertEquals(losses[0] + losses[1], graph.score(data), 1e-5);
    }

    @Test
    void trainingWithWorkspacesMatchesTrainingWithout() {
        BertConfig model = TINY.withDropout(0, 0);
        ComputationGraph withWorkspaces = Bert.init(model, ADAM);
        ComputationGraphConfiguration conf = Bert.configuration(model, ADAM);
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        ComputationGraph without = new ComputationGraph(conf);
        without.init();
        assertEquals(withWorkspaces.params(), without.params());

        for (int i = 0; i < 4; i++) {
            MultiDataSet data = tinyBatch(20 + i);
            withWorkspaces.fit(data);
            without.fit(data);
        }

        assertEquals(0, withWorkspaces.params().sub(without.params()).amaxNumber().doubleValue(), 1e-6);
    }

    @Test
    void repeatedFitsLeaveNoWorkspaceOpenAndStopGrowing() {
        ComputationGraph graph = Bert.init(TINY, ADAM);
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            graph.fit(tinyBatch(30 + i));
            assertFalse(Nd4j.getWorkspaceManager().anyWorkspaceActiveForCurrentThread());
            sizes.add(Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread("WS_ALL_LAYERS_ACT").getCurrentSize());
        }

        assertTrue(sizes.get(2) > 0, "activations live in the workspace: " + sizes);
        assertEquals(sizes.get(2), sizes.get(7), "workspace sizes per step: " + sizes);
    }

    // ---- serialisation, export, fine-tuning

    @Test
    void modelSerializerRoundTripKeepsOutputsParamsAndUpdaterState() throws Exception {
        ComputationGraph graph = Bert.init(TINY, ADAM);
        for (int i = 0; i < 3; i++) {
            graph.fit(tinyBatch(40 + i));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, bytes, true);

        ComputationGraph restored = ModelSerializer.restoreComputationGraph(
                new ByteArrayInputStream(bytes.toByteArray()), true);

        assertEquals(graph.getConfiguration(), restored.getConfiguration());
        assertEquals(graph.params(), restored.params());
        assertEquals(graph.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        MultiDataSet data = tinyBatch(50);
        INDArray[] expected = graph.output(false, data.getFeatures(), data.getFeaturesMaskArrays());
        INDArray[] actual = restored.output(false, data.getFeatures(), data.getFeaturesMaskArrays());
        assertArrayEquals(expected, actual);
        Nd4j.getRandom().setSeed(7);
        graph.fit(data);
        Nd4j.getRandom().setSeed(7);
        restored.fit(data);
        assertEquals(graph.params(), restored.params());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void configurationRoundTripsThroughJson(boolean tied) {
        BertConfig model = new BertConfig("", 2, 8, 2, 16, 8, VOCAB, 2, 0.1, 0.1, 1e-12, 0.02, tied, 3);
        ComputationGraphConfiguration conf = Bert.configuration(model, ADAM);

        ComputationGraphConfiguration parsed = ComputationGraphConfiguration.fromJson(conf.toJson());

        assertEquals(conf, parsed);
        assertEquals(conf.toJson(), parsed.toJson());
    }

    @Test
    void encoderOnlyGivesTheTrainedGraphsHiddenStates() {
        ComputationGraph trained = Bert.init(TINY, ADAM);
        for (int i = 0; i < 3; i++) {
            trained.fit(tinyBatch(60 + i));
        }
        MultiDataSet data = tinyBatch(70);
        INDArray tokens = data.getFeatures()[0];
        INDArray segments = data.getFeatures()[1];
        INDArray mask = data.getFeaturesMaskArrays()[0];

        ComputationGraph encoder = Bert.encoderOnly(trained, TINY);
        Bert.Features features = Bert.encode(encoder, tokens, segments, mask);

        INDArray[] fromTrained = trained.output(List.of(Bert.sequenceOutput(TINY), Bert.CLS, Bert.POOLER), false,
                data.getFeatures(), data.getFeaturesMaskArrays());
        assertArrayEquals(new long[] {2, SEQ, 8}, features.sequence().shape());
        assertArrayEquals(new long[] {2, 8}, features.cls().shape());
        assertArrayEquals(new long[] {2, 8}, features.pooled().shape());
        assertEquals(fromTrained[0], features.sequence());
        assertEquals(fromTrained[1], features.cls());
        assertEquals(fromTrained[2], features.pooled());
        assertTrue(encoder.getConfiguration().getVertices().keySet().stream()
                .noneMatch(v -> v.startsWith("mlm") || v.equals(Bert.NSP)));
    }

    @Test
    void encoderOnlyRejectsAGraphOfAnotherSize() {
        ComputationGraph trained = Bert.init(TINY, ADAM);
        BertConfig wider = new BertConfig("", 2, 12, 2, 16, 8, VOCAB, 2, 0.1, 0.1, 1e-12, 0.02, true, 3);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bert.encoderOnly(trained, wider));

        assertTrue(e.getMessage().contains("was it built from this model config"), e.getMessage());
    }

    @Test
    void classifierStartsFromThePretrainedEncoderAndLearns() {
        ComputationGraph pretrained = Bert.init(TINY, ADAM);
        pretrained.fit(tinyBatch(80));
        ComputationGraph classifier = Bert.classifier(TINY, 3, ADAM);

        List<String> copied = Bert.copyPretrainedParams(pretrained, classifier);

        Map<String, INDArray> params = classifier.paramTable();
        for (String name : params.keySet()) {
            if (name.startsWith(Bert.CLASSIFIER)) {
                assertFalse(copied.contains(name), name);
            } else {
                assertTrue(copied.contains(name), name);
                assertEquals(pretrained.getParam(name), params.get(name), name);
            }
        }
        MultiDataSet pretraining = BertBatches.batch(VOCAB, SEQ, 1, new int[] {6, 5, 4, 6}, 81);
        INDArray labels = Nd4j.createFromArray(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}});
        MultiDataSet task = new MultiDataSet(new INDArray[] {pretraining.getFeatures()[0],
                pretraining.getFeatures()[1]}, new INDArray[] {labels},
                new INDArray[] {pretraining.getFeaturesMaskArrays()[0], null}, null);
        double before = classifier.score(task);
        for (int i = 0; i < 30; i++) {
            classifier.fit(task);
        }
        assertTrue(classifier.score(task) < before - 0.2, before + " -> " + classifier.score(task));
        assertInstanceOf(BaseLayer.class, layer(classifier.getConfiguration(), Bert.CLASSIFIER));
    }

    @Test
    void theClassifierHeadLearnsFasterThanThePretrainedLayers() {
        ComputationGraph classifier = Bert.classifier(TINY, 2, ADAM);
        double head = ((BaseLayer) layer(classifier.getConfiguration(), Bert.CLASSIFIER)).getIUpdater()
                .getLearningRate(0, 0);
        double pooler = ((BaseLayer) layer(classifier.getConfiguration(), Bert.POOLER)).getIUpdater()
                .getLearningRate(0, 0);
        assertEquals(ADAM.learningRate(), pooler, 1e-12);
        assertEquals(Bert.HEAD_LEARNING_RATE_FACTOR * ADAM.learningRate(), head, 1e-12);
    }
}
