package io.pretext.zoo.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class BertConfigTest {

    @Test
    void defaultsAreBertTinyWithBertsTrainingSettings() {
        BertConfig d = BertConfig.defaults();

        assertEquals("bert-tiny", d.preset());
        assertEquals(new BertConfig.Sizes(2, 128, 2, 512), d.sizes());
        assertEquals(512, d.maxPositions());
        assertEquals(2, d.typeVocabSize());
        assertEquals(0.1, d.dropout());
        assertEquals(0.1, d.attentionDropout());
        assertEquals(1e-12, d.layerNormEpsilon());
        assertEquals(0.02, d.initializerRange());
        assertTrue(d.tieWordEmbeddings());
        assertEquals(0, d.vocabSize());
    }

    @ParameterizedTest
    @EnumSource(BertPreset.class)
    void presetsResolveToTheirTableSizes(BertPreset preset) {
        BertConfig.Sizes s = BertConfig.preset(preset).sizes();

        assertEquals(preset.layers(), s.layers());
        assertEquals(preset.hiddenSize(), s.hiddenSize());
        assertEquals(preset.heads(), s.heads());
        assertEquals(4 * preset.hiddenSize(), s.intermediateSize());
        assertEquals(64, s.headSize());
    }

    @Test
    void explicitSizesNeedNoPreset() {
        BertConfig c = new BertConfig(null, 3, 96, 6, 0, 128, 100, 2, 0.1, 0.1, 1e-12, 0.02, false, 1);

        assertEquals("", c.preset());
        assertEquals(new BertConfig.Sizes(3, 96, 6, 384), c.sizes());
        assertEquals(16, c.sizes().headSize());
    }

    @Test
    void sizesEqualToThePresetsAreAccepted() {
        BertConfig c = new BertConfig("bert-mini", 4, 256, 4, 1000, 512, 0, 2, 0.1, 0.1, 1e-12, 0.02, true, 1);

        assertEquals(new BertConfig.Sizes(4, 256, 4, 1000), c.sizes());
    }

    @Test
    void withVocabSizeSetsTheVocabulary() {
        BertConfig c = BertConfig.defaults().withVocabSize(30522);

        assertEquals(30522, c.requireVocabSize());
        assertEquals(BertConfig.defaults().sizes(), c.sizes());
    }

    @Test
    void vocabSizeIsRequiredBeforeBuilding() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BertConfig.defaults().requireVocabSize());

        assertTrue(e.getMessage().startsWith("model.vocabSize is not set: call withVocabSize"), e.getMessage());
    }

    @Test
    void withVocabSizeRejectsAnEmptyVocabulary() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertConfig.defaults().withVocabSize(0));

        assertTrue(e.getMessage().startsWith("model.vocabSize must be >= 2, got 0"), e.getMessage());
    }

    @Test
    void sequencesLongerThanThePositionTableAreRejected() {
        BertConfig c = BertConfig.defaults();
        c.requireSequenceLength(512);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.requireSequenceLength(513));

        assertEquals("sequence length 513 must be in [1, model.maxPositions = 512] (shorten the sequences or raise "
                + "model.maxPositions)", e.getMessage());
    }

    @FunctionalInterface
    interface Make {
        BertConfig make();
    }

    record Rejection(String name, Make make, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static BertConfig explicit(int layers, int hidden, int heads, int intermediate) {
        return new BertConfig("", layers, hidden, heads, intermediate, 512, 0, 2, 0.1, 0.1, 1e-12, 0.02, true, 1);
    }

    private static BertConfig tiny(int maxPositions, int vocab, int types, double dropout, double attention,
            double eps, double range) {
        return new BertConfig("bert-tiny", 0, 0, 0, 0, maxPositions, vocab, types, dropout, attention, eps, range,
                true, 1);
    }

    static Stream<Rejection> rejections() {
        return Stream.of(
                new Rejection("unknown preset", () -> BertConfig.defaults().withPreset("bert-huge"),
                        "model.preset must be one of [bert-tiny, bert-mini, bert-small, bert-medium, bert-base] or "
                                + "empty (sizes set explicitly), got \"bert-huge\""),
                new Rejection("layers disagree with the preset",
                        () -> new BertConfig("bert-mini", 6, 0, 0, 0, 512, 0, 2, 0.1, 0.1, 1e-12, 0.02, true, 1),
                        "model.layers is 6 but preset bert-mini has 4 (leave model.layers at 0 to take it from the "
                                + "preset, or set model.preset to \"\" and give every size)"),
                new Rejection("hidden size disagrees with the preset",
                        () -> new BertConfig("bert-base", 0, 512, 0, 0, 512, 0, 2, 0.1, 0.1, 1e-12, 0.02, true, 1),
                        "model.hiddenSize is 512 but preset bert-base has 768"),
                new Rejection("no preset and no layers", () -> explicit(0, 256, 4, 0),
                        "model.layers must be >= 1, got 0 (set it in the model: section, e.g. 4, or choose a preset "
                                + "such as bert-mini)"),
                new Rejection("no preset and no heads", () -> explicit(4, 256, 0, 0),
                        "model.heads must be >= 1, got 0"),
                new Rejection("hidden size not divisible by heads", () -> explicit(4, 250, 4, 0),
                        "model.hiddenSize (250) must be divisible by model.heads (4), got a remainder of 2 (each head "
                                + "gets hiddenSize / heads dimensions: e.g. hiddenSize 256 with 4 heads)"),
                new Rejection("negative intermediate size", () -> explicit(4, 256, 4, -1),
                        "model.intermediateSize must be >= 0 (0 = 4 x hiddenSize), got -1"),
                new Rejection("no positions", () -> tiny(0, 0, 2, 0.1, 0.1, 1e-12, 0.02),
                        "model.maxPositions must be >= 1, got 0"),
                new Rejection("negative vocabulary", () -> tiny(512, -5, 2, 0.1, 0.1, 1e-12, 0.02),
                        "model.vocabSize must be >= 0 (0 = set from the vocabulary by the trainer), got -5"),
                new Rejection("no segment types", () -> tiny(512, 0, 0, 0.1, 0.1, 1e-12, 0.02),
                        "model.typeVocabSize must be >= 1, got 0"),
                new Rejection("dropout of 1", () -> tiny(512, 0, 2, 1.0, 0.1, 1e-12, 0.02),
                        "model.dropout must be in [0, 1), got 1.0 (set it in the model: section, e.g. 0.1)"),
                new Rejection("negative attention dropout", () -> tiny(512, 0, 2, 0.1, -0.1, 1e-12, 0.02),
                        "model.attentionDropout must be in [0, 1), got -0.1"),
                new Rejection("zero layer-norm epsilon", () -> tiny(512, 0, 2, 0.1, 0.1, 0, 0.02),
                        "model.layerNormEpsilon must be a finite number > 0, got 0.0"),
                new Rejection("undefined initializer range", () -> tiny(512, 0, 2, 0.1, 0.1, 1e-12, Double.NaN),
                        "model.initializerRange must be a finite number > 0, got NaN"));
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void rejectsInvalidSettingsNamingKeyValueAndFix(Rejection r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r.make()::make);

        assertTrue(e.getMessage().startsWith(r.message()), e.getMessage());
    }
}
