package io.pretext.zoo.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KlWarmupTest {

    record Case(double beta, long warmupSteps, long step, double weight) {
    }

    static Stream<Case> knownSteps() {
        return Stream.of(
                new Case(1.0, 1000, 0, 0.0),
                new Case(1.0, 1000, 1, 0.001),
                new Case(1.0, 1000, 250, 0.25),
                new Case(1.0, 1000, 999, 0.999),
                new Case(1.0, 1000, 1000, 1.0),
                new Case(1.0, 1000, 50_000, 1.0),
                new Case(4.0, 10, 5, 2.0),
                new Case(4.0, 10, 10, 4.0),
                new Case(0.5, 0, 0, 0.5),
                new Case(0.5, 0, 7, 0.5));
    }

    @ParameterizedTest
    @MethodSource("knownSteps")
    void weightRampsLinearlyToBeta(Case c) {
        assertEquals(c.weight(), new KlWarmup(c.beta(), c.warmupSteps()).weightAt(c.step()), 1e-15);
    }

    @Test
    void weightNeverDecreasesAndEndsAtBeta() {
        KlWarmup warmup = new KlWarmup(2.0, 37);
        double previous = -1;
        for (long t = 0; t <= 100; t++) {
            double w = warmup.weightAt(t);
            assertTrue(w >= previous && w <= 2.0, "step " + t + ": " + w);
            previous = w;
        }
        assertEquals(2.0, previous);
    }

    @Test
    void rejectsNonPositiveBeta() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KlWarmup(0.0, 10));

        assertEquals("model.beta must be a finite number > 0, got 0.0 (set it in the model: section, e.g. 1.0)",
                e.getMessage());
    }

    @Test
    void rejectsNegativeWarmup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KlWarmup(1.0, -1));

        assertTrue(e.getMessage().startsWith("model.klWarmupSteps must be >= 0, got -1"), e.getMessage());
    }

    @Test
    void rejectsNegativeStep() {
        assertThrows(IllegalArgumentException.class, () -> new KlWarmup(1.0, 10).weightAt(-1));
    }
}
