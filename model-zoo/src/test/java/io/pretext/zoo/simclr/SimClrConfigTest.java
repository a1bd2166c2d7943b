package io.pretext.zoo.simclr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import io.pretext.zoo.encoder.EncoderPreset;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SimClrConfigTest {

    @Test
    void defaultsAreTheSmallCnnWithTheReferenceHead() {
        SimClrConfig d = SimClrConfig.defaults();

        assertEquals(EncoderPreset.SMALL_CNN, d.encoderPreset());
        assertEquals(128, d.projectionSize());
        assertEquals(0.5, d.temperature());
        assertEquals(WeightInit.RELU, d.weightInitScheme());
    }

    @FunctionalInterface
    interface Make {
        SimClrConfig make();
    }

    record Rejection(String name, Make make, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rejection> rejections() {
        return Stream.of(
                new Rejection("unknown encoder", () -> new SimClrConfig("vit", 3, 32, 32, 128, 128, 0.5, "relu", 1),
                        "model.encoder must be one of [small-cnn, resnet18-cifar, resnet50], got \"vit\""),
                new Rejection("no channels", () -> new SimClrConfig("small-cnn", 0, 32, 32, 128, 128, 0.5, "relu", 1),
                        "model.channels must be >= 1, got 0"),
                new Rejection("image too small for resnet50",
                        () -> new SimClrConfig("resnet50", 3, 28, 64, 2048, 128, 0.5, "relu", 1),
                        "model.height must be >= 32 for encoder resnet50, got 28"),
                new Rejection("image too narrow for small-cnn",
                        () -> new SimClrConfig("small-cnn", 1, 28, 3, 128, 128, 0.5, "relu", 1),
                        "model.width must be >= 4 for encoder small-cnn, got 3"),
                new Rejection("empty hidden layer",
                        () -> new SimClrConfig("resnet18-cifar", 3, 32, 32, 0, 128, 0.5, "relu", 1),
                        "model.projectionHiddenSize must be >= 1, got 0 (set it in the model: section, e.g. 512"),
                new Rejection("empty projection",
                        () -> new SimClrConfig("small-cnn", 3, 32, 32, 128, 0, 0.5, "relu", 1),
                        "model.projectionSize must be >= 1, got 0"),
                new Rejection("negative temperature",
                        () -> new SimClrConfig("small-cnn", 3, 32, 32, 128, 128, -0.5, "relu", 1),
                        "model.temperature must be > 0, got -0.5 (set it in the model: section, e.g. 0.5)"),
                new Rejection("zero temperature",
                        () -> new SimClrConfig("small-cnn", 3, 32, 32, 128, 128, 0.0, "relu", 1),
                        "model.temperature must be > 0, got 0.0"),
                new Rejection("unknown weight init",
                        () -> new SimClrConfig("small-cnn", 3, 32, 32, 128, 128, 0.5, "he", 1),
                        "model.weightInit must be one of [relu, relu-uniform, xavier, xavier-uniform, lecun-normal], "
                                + "got \"he\""));
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void rejectsInvalidSettingsNamingKeyValueAndFix(Rejection r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r.make()::make);

        assertTrue(e.getMessage().contains(r.message()), e.getMessage());
    }
}
