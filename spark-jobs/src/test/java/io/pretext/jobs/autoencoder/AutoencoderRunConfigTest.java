package io.pretext.jobs.autoencoder;

import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleImages;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.config.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How an autoencoder run's sections resolve, and the settings refused before any Spark work. */
class AutoencoderRunConfigTest {

    @TempDir
    static Path dir;

    private static AutoencoderRunConfig resolve(String kind, String preset, String... sets) {
        return AutoencoderRunConfig.resolve(ConfigSource.load(AutoencoderRunConfig.sections(kind),
                Presets.settings(preset, kind), null, List.of(sets)), kind);
    }

    record Case(String name, String kind, List<String> args, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> refused() {
        return Stream.of(
                new Case("denoising without corruption", "dae", List.of("--set", "corrupt.kind=none"),
                        "corrupt.kind must be gaussian, masking or salt-and-pepper for pretrain dae, got \"none\""),
                new Case("kind against the command", "ae", List.of("--set", "model.kind=vae"),
                        "model.kind is vae but the command is pretrain ae"),
                new Case("corruption of a plain autoencoder", "ae", List.of("--set", "corrupt.kind=masking"),
                        "unknown section corrupt"),
                new Case("probabilities of standardised features", "vae",
                        List.of("--preset", "vae-tabular", "--set", "model.outputActivation=sigmoid"),
                        "model.outputActivation must be identity for feature data, got \"sigmoid\""),
                new Case("model and data of two sizes", "ae",
                        List.of("--set", "model.inputShape=[1,28,28]", "--set", "data.height=32"),
                        "model.inputShape is [1, 28, 28] but the data: section decodes images to "
                                + "[data.channels, data.height, data.width] = [1, 32, 28]"),
                new Case("quantile outside (0, 1)", "vae", List.of("--set", "eval.anomalyQuantile=1.5"),
                        "eval.anomalyQuantile must be in (0, 1), got 1.5"),
                new Case("preset of another family", "ae", List.of("--preset", "simclr-small-cnn"),
                        "unknown preset simclr-small-cnn for ae (valid: ae-mnist, conv-ae-28, ae-tabular)"),
                new Case("zero KL weight", "vae", List.of("--set", "model.beta=0"),
                        "model.beta must be a finite number > 0, got 0.0"),
                new Case("clipped noise on features", "dae",
                        List.of("--preset", "dae-tabular", "--set", "corrupt.kind=gaussian"),
                        "corrupt.clip must be false for feature data"),
                new Case("conv stages the image size cannot halve", "ae",
                        List.of("--preset", "conv-ae-28", "--set", "model.convChannels=[8,16,32]"),
                        "must be divisible by 2^3 = 8"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusedBeforeSparkStartsWithKeyValueAndFix(Case c) {
        Path out = dir.resolve(c.name().replace(' ', '-'));
        List<String> args = new ArrayList<>(List.of("pretrain", c.kind(), "--data",
                SampleImages.SAMPLE.resolve("test").toString(), "--out", out.toString(), "--master", "local[1]"));
        args.addAll(c.args());
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), args.toArray(String[]::new)));
        assertTrue(err.toString().contains(c.message()), err.toString());
        assertTrue(Files.notExists(out.resolve("config.yaml")));
    }

    @Test
    void imageModelTakesTheDecodedImageSize() {
        AutoencoderRunConfig config = resolve("ae", null, "data.channels=3", "data.height=32", "data.width=32");
        assertEquals(List.of(3, 32, 32), config.model().inputShape());
        assertTrue(config.isImage());
    }

    @Test
    void imageDataDefaultsToTheModelsInputShape() {
        AutoencoderRunConfig config = resolve("vae", "conv-vae-32rgb");
        assertEquals(3, config.imageData().channels());
        assertEquals(32, config.imageData().height());
    }

    @Test
    void tabularPresetReadsFeatureRowsWithTheShapeFromTheData() {
        AutoencoderRunConfig config = resolve("dae", "dae-tabular", "corrupt.kind=gaussian", "corrupt.clip=false");
        assertFalse(config.isImage());
        assertNull(config.imageData());
        assertEquals(List.of(), config.model().inputShape());
        assertEquals("dae", config.model().kind());
    }

    @Test
    void denoisingDefaultsToMaskingAndOnlyItWritesACorruptSection() {
        AutoencoderRunConfig dae = resolve("dae", null);
        assertEquals("masking", dae.corrupt().kind());
        assertTrue(dae.toYaml().contains("corrupt:"));
        assertFalse(resolve("ae", null).toYaml().contains("corrupt:"));
    }

    @Test
    void resolvedConfigReadsBackToItself() throws Exception {
        AutoencoderRunConfig config = resolve("vae", "vae-28", "train.epochs=3", "eval.anomalyQuantile=0.95");
        Path file = Files.writeString(dir.resolve("vae.yaml"), config.toYaml());
        AutoencoderRunConfig again = AutoencoderRunConfig.resolve(ConfigSource.load(
                AutoencoderRunConfig.sections("vae"), Map.of(), file.toString(), List.of()), "vae");
        assertEquals(config, again);
    }

    @Test
    void presetsBelongToTheirKind() {
        assertEquals("vae", Presets.settings("vae-28", "vae").get("model.kind"));
        assertThrows(IllegalArgumentException.class, () -> Presets.settings("vae-28", "ae"));
    }
}
