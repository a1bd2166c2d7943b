package io.pretext.data.corrupt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CorruptionConfigTest {

    @Test
    void defaultsCorruptNothing() {
        CorruptionConfig d = CorruptionConfig.defaults();

        assertTrue(d.isNone());
        assertEquals(0.0, d.min());
        assertEquals(1.0, d.max());
    }

    @FunctionalInterface
    interface Make {
        CorruptionConfig make();
    }

    record Rejection(String name, Make make, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rejection> rejections() {
        return Stream.of(
                new Rejection("unknown kind", () -> new CorruptionConfig("dropout", 0.1, 0.2, true, 0, 1),
                        "corrupt.kind must be one of [gaussian, masking, salt-and-pepper, none], got \"dropout\" "
                                + "(set it in the corrupt: section)"),
                new Rejection("gaussian without noise", () -> new CorruptionConfig("gaussian", 0.0, 0.2, true, 0, 1),
                        "corrupt.sigma must be > 0 for kind gaussian, e.g. 0.1, got 0.0"),
                new Rejection("negative sigma", () -> new CorruptionConfig("none", -0.1, 0.2, true, 0, 1),
                        "corrupt.sigma must be a finite number >= 0, got -0.1"),
                new Rejection("fraction above one", () -> new CorruptionConfig("masking", 0.1, 1.5, true, 0, 1),
                        "corrupt.fraction must be in [0, 1], got 1.5"),
                new Rejection("masking nothing", () -> new CorruptionConfig("masking", 0.1, 0.0, true, 0, 1),
                        "corrupt.fraction must be > 0 for kind masking, e.g. 0.25, got 0.0"),
                new Rejection("salt and pepper nothing",
                        () -> new CorruptionConfig("salt-and-pepper", 0.1, 0.0, true, 0, 1),
                        "corrupt.fraction must be > 0 for kind salt-and-pepper"),
                new Rejection("empty range", () -> new CorruptionConfig("gaussian", 0.1, 0.2, true, 1, 1),
                        "corrupt.max must be a finite number > min = 1.0, got 1.0"),
                new Rejection("infinite min",
                        () -> new CorruptionConfig("gaussian", 0.1, 0.2, true, Double.NEGATIVE_INFINITY, 1),
                        "corrupt.min must be a finite number, got -Infinity"));
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void rejectsInvalidSettingsNamingKeyValueAndFix(Rejection r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r.make()::make);

        assertTrue(e.getMessage().contains(r.message()), e.getMessage());
    }
}
