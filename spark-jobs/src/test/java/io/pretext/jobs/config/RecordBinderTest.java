package io.pretext.jobs.config;

import io.pretext.jobs.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordBinderTest {

    record Case(String name, Map<String, Object> values, String expectedMessagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> invalid() {
        return Stream.of(
                new Case("unknown key with suggestion", Map.of("batchsize", 64), "unknown key train.batchsize; did you mean batchSize?"),
                new Case("wrong type", Map.of("epochs", "five"), "train.epochs must be an integer, got 'five'"),
                new Case("fraction for integer", Map.of("epochs", 2.5), "train.epochs must be an integer, got 2.5"),
                new Case("zero batch", Map.of("batchSize", 0), "train.batchSize must be >= 1, got 0"),
                new Case("zero averaging frequency", Map.of("averagingFrequency", 0),
                        "train.averagingFrequency must be >= 1"),
                new Case("list for scalar", Map.of("epochs", List.of(1, 2)), "train.epochs must be an integer"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesBadValuesNamingKeyValueAndRule(Case c) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecordBinder.bind("train", c.values(), TrainingConfig.defaults()));
        assertTrue(e.getMessage().contains(c.expectedMessagePart()), e.getMessage());
    }

    @Test
    void keepsDefaultsForKeysNotSet() {
        TrainingConfig bound = RecordBinder.bind("train", Map.of("epochs", 3), TrainingConfig.defaults());
        assertEquals(3, bound.epochs());
        assertEquals(TrainingConfig.defaults().batchSize(), bound.batchSize());
    }

    @Test
    void acceptsNumbersGivenAsStrings() {
        TrainingConfig bound = RecordBinder.bind("train", Map.of("epochs", "7", "maxSteps", "1_000"),
                TrainingConfig.defaults());
        assertEquals(7, bound.epochs());
        assertEquals(1000, bound.maxSteps());
    }

    @Test
    void roundTripsThroughMap() {
        TrainingConfig original = RecordBinder.bind("train", Map.of("epochs", 4, "seed", 9), TrainingConfig.defaults());
        assertEquals(original, RecordBinder.bind("train", RecordBinder.toMap(original), TrainingConfig.defaults()));
    }
}
