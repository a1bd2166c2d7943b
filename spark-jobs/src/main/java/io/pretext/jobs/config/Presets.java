package io.pretext.jobs.config;

import io.pretext.zoo.autoencoder.AutoencoderConfig;
import io.pretext.zoo.autoencoder.AutoencoderPreset;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Named starting points, one table for every model: each preset is a set of dotted overrides applied before the
 * config file and {@code --set}.
 */
public final class Presets {

    /** @param model the pretrain command the preset belongs to */
    public record Preset(String model, String description, Map<String, Object> settings) {
    }

    private static final Map<String, Preset> TABLE = new LinkedHashMap<>();

    static {
        add("simclr-small-cnn", "simclr", "small CNN (3 conv-BN-ReLU blocks, 32/64/128) on 28x28 grey or 32x32 images",
                Map.of("model.encoder", "small-cnn"));
        add("simclr-resnet18", "simclr", "CIFAR-style ResNet-18 (3x3 stem, no max-pool) on 32x32 RGB",
                Map.of("model.encoder", "resnet18-cifar", "data.channels", 3, "data.height", 32, "data.width", 32));
        add("simclr-resnet50", "simclr", "ResNet-50 on 224x224 RGB, for GPU clusters",
                Map.of("model.encoder", "resnet50", "data.channels", 3, "data.height", 224, "data.width", 224,
                        "optimizer.type", "sgd", "optimizer.learningRate", 0.3, "optimizer.momentum", 0.9,
                        "optimizer.nesterov", true, "optimizer.weightDecay", 1e-6, "train.batchSize", 256));
        add("bert-tiny", "bert", "BERT 2 layers, hidden 128, 2 heads (4.4M parameters with bert-base-uncased's vocab)",
                Map.of("model.preset", "bert-tiny"));
        add("bert-mini", "bert", "BERT 4 layers, hidden 256, 4 heads (11.3M parameters)",
                Map.of("model.preset", "bert-mini"));
        add("bert-small", "bert", "BERT 4 layers, hidden 512, 8 heads (29M parameters)",
                Map.of("model.preset", "bert-small"));
        add("bert-medium", "bert", "BERT 8 layers, hidden 512, 8 heads (42M parameters)",
                Map.of("model.preset", "bert-medium"));
        add("bert-base", "bert", "BERT-base: 12 layers, hidden 768, 12 heads (110M parameters), for GPU clusters",
                Map.of("model.preset", "bert-base", "optimizer.learningRate", 1e-4, "train.batchSize", 32));
        for (AutoencoderPreset p : AutoencoderPreset.values()) {
            add(p.key(), p.config().kind(), p.description(), modelSettings(p.config()));
        }
        AutoencoderConfig tabular = AutoencoderPreset.AE_TABULAR.config();
        String tabularText = AutoencoderPreset.AE_TABULAR.description();
        add("dae-tabular", "dae", "denoising " + tabularText, modelSettings(tabular.withKind("dae")));
        add("vae-tabular", "vae", "variational " + tabularText.replace(", code ", ", latent "),
                modelSettings(tabular.withKind("vae")));
    }

    private Presets() {
    }

    private static void add(String name, String model, String description, Map<String, Object> settings) {
        TABLE.put(name, new Preset(model, description, Map.copyOf(settings)));
    }

    /** Every key of an autoencoder's {@code model:} section as a dotted override. */
    private static Map<String, Object> modelSettings(AutoencoderConfig model) {
        Map<String, Object> settings = new LinkedHashMap<>();
        RecordBinder.toMap(model).forEach((key, value) -> settings.put("model." + key, value));
        return settings;
    }

    /** The overrides of {@code name} for {@code model}, or an empty map when name is null. */
    public static Map<String, Object> settings(String name, String model) {
        if (name == null) {
            return Map.of();
        }
        Preset preset = TABLE.get(name);
        if (preset == null || !preset.model().equals(model)) {
            throw new IllegalArgumentException("unknown preset " + name + " for " + model + " (valid: "
                    + TABLE.entrySet().stream().filter(e -> e.getValue().model().equals(model))
                    .map(Map.Entry::getKey).collect(Collectors.joining(", ")) + ")");
        }
        return preset.settings();
    }

    public static Map<String, Preset> all() {
        return Map.copyOf(TABLE);
    }
}
