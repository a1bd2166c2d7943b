package io.pretext.jobs.autoencoder;

import io.pretext.data.corrupt.CorruptionConfig;
import io.pretext.data.features.FeatureDataConfig;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.config.ConfigYaml;
import io.pretext.jobs.train.TrainingConfig;
import io.pretext.zoo.autoencoder.AutoencoderConfig;
import io.pretext.zoo.autoencoder.AutoencoderPreset;
import io.pretext.zoo.optim.OptimizerConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything an autoencoder run ({@code pretext pretrain ae|dae|vae}) is configured by, one record per YAML section:
 * {@code data}, {@code corrupt} (dae only), {@code model}, {@code optimizer}, {@code train}, {@code eval}.
 *
 * <p>The command names the kind; {@code model.kind} may repeat it but not contradict it. What the data is follows
 * {@code model.inputShape}: {@code [channels, height, width]} reads images (the {@code data:} section is an
 * {@link ImageDataConfig}, whose image size is the model's input), {@code [features]} or {@code []} (taken from the
 * data) reads numeric feature rows from CSV or Parquet (a {@link FeatureDataConfig}), standardised by statistics
 * fitted on the training data.
 *
 * @param imageData   the data section of an image model, or null
 * @param featureData the data section of a feature model, or null
 * @param corrupt     the input corruption: a real one for dae, {@code none} for ae and vae
 */
public record AutoencoderRunConfig(ImageDataConfig imageData, FeatureDataConfig featureData, CorruptionConfig corrupt,
                                   AutoencoderConfig model, OptimizerConfig optimizer, TrainingConfig train,
                                   AutoencoderEvalConfig eval) {

    /** The pretrain commands of the family, which are also the {@code model.kind} values. */
    public static final List<String> KINDS = AutoencoderConfig.KINDS;

    /** A denoising autoencoder's default corruption: a quarter of every example's values set to 0. */
    static final CorruptionConfig DAE_CORRUPTION = new CorruptionConfig("masking", 0.1, 0.25, true, 0.0, 1.0);

    public AutoencoderRunConfig {
        if ((imageData == null) == (featureData == null)) {
            throw new IllegalStateException("an autoencoder run reads either images or feature rows");
        }
        if (model.isImage() != (imageData != null)) {
            throw new IllegalStateException("model.inputShape " + model.inputShape() + " does not fit the data kind");
        }
        if (model.isDenoising() == corrupt.isNone()) {
            throw new IllegalStateException("corruption " + corrupt.kind() + " does not fit kind " + model.kind());
        }
    }

    /** The YAML sections of a run of {@code kind}: {@code corrupt} only for dae. */
    public static Set<String> sections(String kind) {
        requireKind(kind);
        return kind.equals("dae")
                ? Set.of("data", "corrupt", "model", "optimizer", "train", "eval")
                : Set.of("data", "model", "optimizer", "train", "eval");
    }

    /** The model without a preset: {@code ae-mnist}, {@code dae-mnist} or {@code vae-28}. */
    static AutoencoderConfig defaultModel(String kind) {
        return switch (kind) {
            case "dae" -> AutoencoderPreset.DAE_MNIST.config();
            case "vae" -> AutoencoderPreset.VAE_28.config();
            default -> AutoencoderPreset.AE_MNIST.config();
        };
    }

    /**
     * Binds the sections of a run of {@code kind} and checks that they fit together; runs nothing.
     *
     * @throws IllegalArgumentException naming the key, the value, the rule and the fix
     */
    public static AutoencoderRunConfig resolve(ConfigSource source, String kind) {
        requireKind(kind);
        Object declaredKind = source.raw("model.kind");
        if (declaredKind != null && !kind.equals(String.valueOf(declaredKind))) {
            throw new IllegalArgumentException("model.kind is " + declaredKind + " but the command is pretrain " + kind
                    + " (the command names the kind: run pretext pretrain " + declaredKind
                    + ", or drop model.kind)");
        }
        AutoencoderConfig model = source.section("model", defaultModel(kind)).withKind(kind);
        ImageDataConfig imageData = null;
        FeatureDataConfig featureData = null;
        if (model.isImage()) {
            List<Integer> shape = model.inputShape();
            imageData = source.section("data", ImageDataConfig.defaults().withImageSize(shape.get(0), shape.get(1),
                    shape.get(2)));
            List<Integer> decoded = List.of(imageData.channels(), imageData.height(), imageData.width());
            if (!decoded.equals(shape)) {
                if (source.raw("model.inputShape") != null) {
                    throw new IllegalArgumentException("model.inputShape is " + shape + " but the data: section "
                            + "decodes images to [data.channels, data.height, data.width] = " + decoded
                            + " (an image model's input is the decoded image: set both to the same size, or only "
                            + "one of them)");
                }
                model = model.withInputShape(decoded);
            }
        } else {
            featureData = source.section("data", FeatureDataConfig.defaults());
            if (!model.outputActivation().equals("identity")) {
                throw new IllegalArgumentException("model.outputActivation must be identity for feature data, got \""
                        + model.outputActivation() + "\" (feature rows are standardised to mean 0 and std 1, "
                        + "unbounded: set model.outputActivation: identity and model.reconstructionLoss: mse, or use "
                        + "--preset " + kind + "-tabular)");
            }
        }
        CorruptionConfig corrupt = CorruptionConfig.defaults();
        if (model.isDenoising()) {
            corrupt = source.section("corrupt", DAE_CORRUPTION);
            if (corrupt.isNone()) {
                throw new IllegalArgumentException("corrupt.kind must be gaussian, masking or salt-and-pepper for "
                        + "pretrain dae, got \"none\" (a denoising autoencoder learns to undo the corruption: set it "
                        + "in the corrupt: section, or use pretrain ae)");
            }
            if (featureData != null && corrupt.kind().equals("gaussian") && corrupt.clip()) {
                throw new IllegalArgumentException("corrupt.clip must be false for feature data, got true "
                        + "(standardised features are not bounded by [corrupt.min, corrupt.max] = [" + corrupt.min()
                        + ", " + corrupt.max() + "]: set corrupt.clip: false)");
            }
        }
        OptimizerConfig optimizer = source.section("optimizer", OptimizerConfig.defaults());
        TrainingConfig train = source.section("train", TrainingConfig.defaults());
        AutoencoderEvalConfig eval = source.section("eval", AutoencoderEvalConfig.defaults());
        return new AutoencoderRunConfig(imageData, featureData, corrupt, model, optimizer, train, eval);
    }

    /** {@code ae}, {@code dae} or {@code vae}. */
    public String kind() {
        return model.kind();
    }

    /** Whether the run reads images (otherwise feature rows). */
    public boolean isImage() {
        return imageData != null;
    }

    public String toYaml() {
        Map<String, Record> sections = new LinkedHashMap<>();
        sections.put("data", isImage() ? imageData : featureData);
        if (model.isDenoising()) {
            sections.put("corrupt", corrupt);
        }
        sections.put("model", model);
        sections.put("optimizer", optimizer);
        sections.put("train", train);
        sections.put("eval", eval);
        return ConfigYaml.write(sections);
    }

    private static void requireKind(String kind) {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown autoencoder kind " + kind + " (valid: " + KINDS + ")");
        }
    }
}
