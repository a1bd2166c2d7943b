package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The text pipeline's config records: defaults, validation messages, YAML/JSON key names. */
class TextConfigsTest {

    record Case(String name, Supplier<Object> build, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> invalid() {
        String data = " (set it in the data: section)";
        String text = " (set it in the text: section)";
        String masking = " (set it in the masking: section)";
        String vocab = " (set it in the vocab: section)";
        return List.of(
                new Case("data.format", () -> new TextDataConfig("csv", "text", "id", "label", 10, 10, 0.01, 0, 1),
                        "data.format must be one of [auto, folder, jsonl, parquet], got \"csv\"" + data),
                new Case("data.textField", () -> new TextDataConfig("auto", " ", "id", "label", 10, 10, 0.01, 0, 1),
                        "data.textField must be a non-blank field name, got \" \"" + data),
                new Case("data.maxDocumentBytes", () -> new TextDataConfig("auto", "t", "id", "l", 0, 10, 0.01, 0, 1),
                        "data.maxDocumentBytes must be in [1, 2147483631], got 0" + data),
                new Case("data.maxLineChars", () -> new TextDataConfig("auto", "t", "id", "l", 10, 0, 0.01, 0, 1),
                        "data.maxLineChars must be >= 1, got 0" + data),
                new Case("data.maxInvalidUtf8Fraction", () -> new TextDataConfig("auto", "t", "id", "l", 10, 10, 1.5, 0, 1),
                        "data.maxInvalidUtf8Fraction must be in [0, 1] (0 rejects any malformed byte), got 1.5" + data),
                new Case("data.partitions", () -> new TextDataConfig("auto", "t", "id", "l", 10, 10, 0, -1, 1),
                        "data.partitions must be >= 0 (0 = chosen from the input size), got -1" + data),
                new Case("text.maxSeqLength", () -> new BertExampleConfig(4, 0.1, 0.5),
                        "text.maxSeqLength must be >= 5 ([CLS] A [SEP] B [SEP] with one token each), got 4" + text),
                new Case("text.shortSeqProbability", () -> new BertExampleConfig(128, -0.1, 0.5),
                        "text.shortSeqProbability must be a probability in [0, 1], got -0.1" + text),
                new Case("text.randomNextProbability", () -> new BertExampleConfig(128, 0.1, 2),
                        "text.randomNextProbability must be a probability in [0, 1], got 2.0" + text),
                new Case("masking.maskProbability", () -> new MaskingConfig(0, 0.8, 0.1, 20, false),
                        "masking.maskProbability must be in (0, 1], got 0.0" + masking),
                new Case("masking.randomTokenProbability", () -> new MaskingConfig(0.15, 0.8, 0.3, 20, false),
                        "masking.randomTokenProbability must be in [0, 1 - maskTokenProbability] = [0, "
                                + (1 - 0.8) + "], got 0.3" + masking),
                new Case("masking.maxPredictions", () -> new MaskingConfig(0.15, 0.8, 0.1, 0, false),
                        "masking.maxPredictions must be >= 1, got 0" + masking),
                new Case("vocab.vocabSize", () -> new VocabConfig(5, 2, 2),
                        "vocab.vocabSize must be > 5 (the special tokens), got 5" + vocab),
                new Case("vocab.minCharCount", () -> new VocabConfig(100, 0, 2),
                        "vocab.minCharCount must be >= 1, got 0" + vocab));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidValueIsRejectedNamingKeyValueRuleAndFix(Case c) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c.build()::get);
        assertEquals(c.message(), e.getMessage());
    }

    @Test
    void defaultsAreBertsSettings() {
        assertEquals(new BertExampleConfig(128, 0.1, 0.5), BertExampleConfig.defaults());
        assertEquals(new MaskingConfig(0.15, 0.8, 0.1, 20, false), MaskingConfig.defaults());
        assertEquals(30_522, VocabConfig.defaults().vocabSize());
        TextDataConfig d = TextDataConfig.defaults();
        assertEquals(List.of("auto", "text", "id", "label"), List.of(d.format(), d.textField(), d.idField(), d.labelField()));
        assertEquals(32L << 20, d.maxDocumentBytes());
        assertEquals(1_000_000, d.maxLineChars());
        assertEquals(0.01, d.maxInvalidUtf8Fraction());
    }

    static List<Record> defaults() {
        return List.of(TextDataConfig.defaults(), BertExampleConfig.defaults(), MaskingConfig.defaults(),
                VocabConfig.defaults());
    }

    @ParameterizedTest
    @MethodSource("defaults")
    void roundTripsThroughJacksonUnderItsComponentNames(Record config) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        String json = mapper.writeValueAsString(config);
        assertEquals(config, mapper.readValue(json, config.getClass()));
        List<String> keys = new ArrayList<>();
        mapper.readTree(json).fieldNames().forEachRemaining(keys::add);
        assertEquals(Arrays.stream(config.getClass().getRecordComponents()).map(RecordComponent::getName).sorted().toList(),
                keys.stream().sorted().toList());
    }
}
