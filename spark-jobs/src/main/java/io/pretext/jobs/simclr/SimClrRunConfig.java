package io.pretext.jobs.simclr;

import io.pretext.data.augment.SimClrAugmentConfig;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.config.ConfigYaml;
import io.pretext.jobs.eval.EvalConfig;
import io.pretext.jobs.train.TrainingConfig;
import io.pretext.zoo.optim.OptimizerConfig;
import io.pretext.zoo.simclr.SimClrConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a SimCLR run is configured by, one record per YAML section. The model's input size is the
 * data's: {@code data.channels/height/width} set both, and an explicit different {@code model.*} size is refused.
 */
public record SimClrRunConfig(ImageDataConfig data, SimClrAugmentConfig augment, SimClrConfig model,
                              OptimizerConfig optimizer, TrainingConfig train, EvalConfig eval) {

    public static final Set<String> SECTIONS = Set.of("data", "augment", "model", "optimizer", "train", "eval");

    /** Defaults for SimCLR: Adam 1e-3 with a short warm-up and cosine decay, batch 128 images per worker. */
    static OptimizerConfig defaultOptimizer() {
        OptimizerConfig d = OptimizerConfig.defaults();
        return new OptimizerConfig("adam", 1e-3, d.momentum(), d.nesterov(), 0.0, 100, 0, 0.01, "cosine");
    }

    public static SimClrRunConfig resolve(ConfigSource source) {
        ImageDataConfig data = source.section("data", ImageDataConfig.defaults());
        SimClrAugmentConfig augment = source.section("augment", SimClrAugmentConfig.defaults());
        SimClrConfig declared = source.section("model", SimClrConfig.defaults());
        for (String key : List.of("channels", "height", "width")) {
            Object raw = source.raw("model." + key);
            int dataValue = switch (key) {
                case "channels" -> data.channels();
                case "height" -> data.height();
                default -> data.width();
            };
            if (raw != null && !String.valueOf(raw).equals(String.valueOf(dataValue))) {
                throw new IllegalArgumentException("model." + key + " is " + raw + " but data." + key + " is "
                        + dataValue + " (the model takes the data's input size: set data." + key + " only)");
            }
        }
        SimClrConfig model = new SimClrConfig(declared.encoder(), data.channels(), data.height(), data.width(),
                declared.projectionHiddenSize(), declared.projectionSize(), declared.temperature(),
                declared.weightInit(), declared.seed());
        OptimizerConfig optimizer = source.section("optimizer", defaultOptimizer());
        TrainingConfig train = source.section("train", TrainingConfig.defaults());
        EvalConfig eval = source.section("eval", EvalConfig.defaults());
        return new SimClrRunConfig(data, augment, model, optimizer, train, eval);
    }

    public String toYaml() {
        Map<String, Record> sections = new LinkedHashMap<>();
        sections.put("data", data);
        sections.put("augment", augment);
        sections.put("model", model);
        sections.put("optimizer", optimizer);
        sections.put("train", train);
        sections.put("eval", eval);
        return ConfigYaml.write(sections);
    }
}
