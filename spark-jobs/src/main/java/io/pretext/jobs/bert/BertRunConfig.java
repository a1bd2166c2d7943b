package io.pretext.jobs.bert;

import io.pretext.data.text.BertExampleConfig;
import io.pretext.data.text.MaskingConfig;
import io.pretext.data.text.TextDataConfig;
import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.config.ConfigYaml;
import io.pretext.jobs.train.TrainingConfig;
import io.pretext.zoo.bert.BertConfig;
import io.pretext.zoo.optim.OptimizerConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything a BERT run is configured by, one record per YAML section: {@code data} (reading the corpus),
 * {@code text} (sentence pairs), {@code masking}, {@code model}, {@code optimizer}, {@code train}, {@code eval}.
 * The model's vocabulary size is the vocabulary's: an explicit different {@code model.vocabSize} is refused, and
 * sequences must fit the model's position table.
 */
public record BertRunConfig(TextDataConfig data, BertExampleConfig text, MaskingConfig masking, BertConfig model,
                            OptimizerConfig optimizer, TrainingConfig train, BertEvalConfig eval) {

    public static final Set<String> SECTIONS = Set.of("data", "text", "masking", "model", "optimizer", "train",
            "eval");

    /**
     * AdamW (weight decay 0.01 on weights, not on biases and layer norms) at 5e-4, a linear warm-up over the first
     * 100 steps, then a linear decay to 0 at the last step. BERT's own 1e-4 suits its batch of 256 and a million
     * steps; the compact models and short runs of one machine learn faster with a higher peak.
     */
    static OptimizerConfig defaultOptimizer() {
        return new OptimizerConfig("adamw", 5e-4, 0.9, true, 0.01, 100, 0, 0.0, "linear");
    }

    /** 32 sequences per worker and step, averaging every 10 steps, 3 epochs, checkpoints every 500 steps. */
    static TrainingConfig defaultTraining() {
        TrainingConfig d = TrainingConfig.defaults();
        return new TrainingConfig(d.workers(), 32, 10, 3, d.maxSteps(), d.seed(), 500, d.keepCheckpoints(), 20,
                d.threadsPerWorker(), d.prefetchBatches());
    }

    /**
     * Binds the sections and sets the model's vocabulary size from {@code vocab}.
     *
     * @throws IllegalArgumentException naming the key, the value, the rule and the fix
     */
    public static BertRunConfig resolve(ConfigSource source, Vocabulary vocab) {
        TextDataConfig data = source.section("data", TextDataConfig.defaults());
        BertExampleConfig text = source.section("text", BertExampleConfig.defaults());
        MaskingConfig masking = source.section("masking", MaskingConfig.defaults());
        BertConfig declared = source.section("model", BertConfig.defaults());
        Object vocabSize = source.raw("model.vocabSize");
        if (vocabSize != null && !String.valueOf(vocabSize).equals("0")
                && !String.valueOf(vocabSize).equals(String.valueOf(vocab.size()))) {
            throw new IllegalArgumentException("model.vocabSize is " + vocabSize + " but the vocabulary has "
                    + vocab.size() + " tokens (the model takes the vocabulary's size: leave model.vocabSize out, or "
                    + "pass the matching --vocab)");
        }
        BertConfig model = declared.withVocabSize(vocab.size());
        if (text.maxSeqLength() > model.maxPositions()) {
            throw new IllegalArgumentException("text.maxSeqLength " + text.maxSeqLength() + " must be <= "
                    + "model.maxPositions " + model.maxPositions() + " (the model's position table is the longest "
                    + "sequence it takes: lower text.maxSeqLength or raise model.maxPositions)");
        }
        OptimizerConfig optimizer = source.section("optimizer", defaultOptimizer());
        TrainingConfig train = source.section("train", defaultTraining());
        BertEvalConfig eval = source.section("eval", BertEvalConfig.defaults());
        if (eval.documentLength(text.maxSeqLength()) > model.maxPositions()) {
            throw new IllegalArgumentException("eval.maxSeqLength " + eval.maxSeqLength() + " must be <= "
                    + "model.maxPositions " + model.maxPositions() + " (set it in the eval: section)");
        }
        return new BertRunConfig(data, text, masking, model, optimizer, train, eval);
    }

    /** The tokens of a document given to the encoder by probes, fine-tuning and embeddings. */
    public int documentLength() {
        return eval.documentLength(text.maxSeqLength());
    }

    public String toYaml() {
        Map<String, Record> sections = new LinkedHashMap<>();
        sections.put("data", data);
        sections.put("text", text);
        sections.put("masking", masking);
        sections.put("model", model);
        sections.put("optimizer", optimizer);
        sections.put("train", train);
        sections.put("eval", eval);
        return ConfigYaml.write(sections);
    }
}
