package io.pretext.zoo.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.pretext.zoo.loss.ReconstructionLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AutoencoderConfigTest {

    @Test
    void defaultsAreTheDenseMnistAutoencoder() {
        AutoencoderConfig d = AutoencoderConfig.defaults();

        assertEquals(AutoencoderPreset.AE_MNIST.config(), d);
        assertEquals(784, d.inputSize());
        assertTrue(d.isImage());
        assertFalse(d.isVariational());
    }

    @Test
    void presetTableHasTheFamily() {
        assertEquals(List.of("ae-mnist", "dae-mnist", "conv-ae-28", "vae-28", "conv-vae-32rgb", "ae-tabular"),
                AutoencoderPreset.keys());
        assertEquals(List.of(3, 32, 32), AutoencoderPreset.of("conv-vae-32rgb").config().inputShape());
        assertTrue(AutoencoderPreset.of("vae-28").config().isVariational());
        assertTrue(AutoencoderPreset.of("dae-mnist").config().isDenoising());
    }

    @Test
    void unknownPresetNamesTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AutoencoderPreset.of("vae"));

        assertEquals("unknown autoencoder preset \"vae\" (valid: ae-mnist, dae-mnist, conv-ae-28, vae-28, "
                + "conv-vae-32rgb, ae-tabular)", e.getMessage());
    }

    @Test
    void trainingLossAveragesForAutoencodersAndSumsForTheVae() {
        AutoencoderConfig ae = AutoencoderPreset.AE_MNIST.config();
        AutoencoderConfig vae = AutoencoderPreset.VAE_28.config();

        assertEquals(new ReconstructionLoss(ReconstructionLoss.Kind.BCE, 1.0 / 784), ae.trainingLoss());
        assertEquals(new ReconstructionLoss(ReconstructionLoss.Kind.BCE, 1.0), vae.trainingLoss());
    }

    @Test
    void featureInputShapeComesFromTheData() {
        AutoencoderConfig tabular = AutoencoderPreset.AE_TABULAR.config();

        AutoencoderConfig resolved = tabular.withInputShape(List.of(30));

        assertFalse(tabular.hasInputShape());
        assertArrayEquals(new long[] {4, 30}, resolved.batchShape(4));
        assertFalse(resolved.isImage());
        assertThrows(IllegalArgumentException.class, tabular::inputSize);
    }

    @Test
    void keysOfAnotherKindAreIgnored() {
        AutoencoderConfig vae = AutoencoderPreset.VAE_28.config();

        AutoencoderConfig ae = vae.withKind("ae");

        assertEquals(500, ae.klWarmupSteps());
        assertFalse(ae.isVariational());
    }

    @Test
    void listsAreCopied() {
        List<Integer> hidden = new ArrayList<>(List.of(8));
        AutoencoderConfig c = new AutoencoderConfig("ae", "dense", List.of(4), hidden, List.of(), 2, "mse", "identity",
                1.0, 0, "relu", 1);

        hidden.add(4);

        assertEquals(List.of(8), c.hiddenSizes());
    }

    @FunctionalInterface
    interface Make {
        AutoencoderConfig make();
    }

    record Rejection(String name, Make make, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static AutoencoderConfig with(String kind, String architecture, List<Integer> shape, List<Integer> hidden,
            List<Integer> conv, int latent, String loss, String activation) {
        return new AutoencoderConfig(kind, architecture, shape, hidden, conv, latent, loss, activation, 1.0, 0, "relu",
                1);
    }

    static Stream<Rejection> rejections() {
        List<Integer> image = List.of(1, 28, 28);
        return Stream.of(
                new Rejection("unknown kind",
                        () -> with("sae", "dense", image, List.of(), List.of(), 8, "bce", "sigmoid"),
                        "model.kind must be one of [ae, dae, vae], got \"sae\" (set it in the model: section)"),
                new Rejection("unknown architecture",
                        () -> with("ae", "rnn", image, List.of(), List.of(), 8, "bce", "sigmoid"),
                        "model.architecture must be one of [dense, conv], got \"rnn\""),
                new Rejection("two-entry input shape",
                        () -> with("ae", "dense", List.of(28, 28), List.of(), List.of(), 8, "bce", "sigmoid"),
                        "model.inputShape must be [channels, height, width] for images or [features] for numeric "
                                + "vectors (or [] to take it from the data), got [28, 28]"),
                new Rejection("zero in input shape",
                        () -> with("ae", "dense", List.of(0, 28, 28), List.of(), List.of(), 8, "bce", "sigmoid"),
                        "model.inputShape entries must be integers >= 1, got [0, 28, 28]"),
                new Rejection("conv on feature vectors",
                        () -> with("ae", "conv", List.of(30), List.of(), List.of(8), 8, "mse", "identity"),
                        "model.inputShape must be [channels, height, width] for architecture conv, got [30]"),
                new Rejection("conv without stages",
                        () -> with("ae", "conv", image, List.of(), List.of(), 8, "bce", "sigmoid"),
                        "model.convChannels must list at least one stage for architecture conv, got []"),
                new Rejection("conv stages do not divide the height",
                        () -> with("ae", "conv", image, List.of(), List.of(8, 16, 32), 8, "bce", "sigmoid"),
                        "model.inputShape height must be divisible by 2^3 = 8 (one halving per entry of "
                                + "model.convChannels [8, 16, 32]), got 28"),
                new Rejection("empty hidden layer",
                        () -> with("ae", "dense", image, List.of(64, 0), List.of(), 8, "bce", "sigmoid"),
                        "model.hiddenSizes entries must be integers >= 1, got [64, 0]"),
                new Rejection("no latent", () -> with("ae", "dense", image, List.of(), List.of(), 0, "bce", "sigmoid"),
                        "model.latentSize must be >= 1, got 0"),
                new Rejection("unknown loss",
                        () -> with("ae", "dense", image, List.of(), List.of(), 8, "l1", "sigmoid"),
                        "model.reconstructionLoss must be one of [mse, bce], got \"l1\""),
                new Rejection("bce without sigmoid",
                        () -> with("ae", "dense", image, List.of(), List.of(), 8, "bce", "identity"),
                        "model.outputActivation must be sigmoid when model.reconstructionLoss is bce, "
                                + "got \"identity\""),
                new Rejection("negative beta",
                        () -> new AutoencoderConfig("vae", "dense", image, List.of(), List.of(), 8, "bce", "sigmoid",
                                -1.0, 0, "relu", 1),
                        "model.beta must be a finite number > 0, got -1.0"),
                new Rejection("unknown weight init",
                        () -> new AutoencoderConfig("ae", "dense", image, List.of(), List.of(), 8, "bce", "sigmoid",
                                1.0, 0, "he", 1),
                        "model.weightInit must be one of [relu, relu-uniform, xavier, xavier-uniform, lecun-normal], "
                                + "got \"he\""),
                new Rejection("null list",
                        () -> with("ae", "dense", image, null, List.of(), 8, "bce", "sigmoid"),
                        "model.hiddenSizes must be a list, got null"));
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void rejectsInvalidSettingsNamingKeyValueAndFix(Rejection r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r.make()::make);

        assertTrue(e.getMessage().contains(r.message()), e.getMessage());
    }

    @Test
    void convAcceptsSizesDivisibleByEveryStage() {
        AutoencoderConfig c = with("vae", "conv", List.of(3, 32, 32), List.of(), List.of(8, 16, 32, 64, 128), 4, "bce",
                "sigmoid");

        assertEquals(Arrays.asList(3, 32, 32), c.inputShape());
    }
}
