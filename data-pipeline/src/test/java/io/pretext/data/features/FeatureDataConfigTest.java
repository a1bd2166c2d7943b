package io.pretext.data.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FeatureDataConfigTest {

    @Test
    void defaultsReadAllNumericColumnsAndSkipBadRows() {
        FeatureDataConfig d = FeatureDataConfig.defaults();

        assertEquals(List.of(), d.columns());
        assertFalse(d.imputesMissing());
        assertTrue(d.withMissing("mean").imputesMissing());
    }

    @Test
    void columnListIsCopied() {
        List<String> columns = new ArrayList<>(List.of("a"));
        FeatureDataConfig c = FeatureDataConfig.defaults().withColumns(columns);

        columns.add("b");

        assertEquals(List.of("a"), c.columns());
    }

    @FunctionalInterface
    interface Make {
        FeatureDataConfig make();
    }

    record Rejection(String name, Make make, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static FeatureDataConfig with(String format, List<String> columns, String id, String label, String missing,
            String delimiter, double floor) {
        return new FeatureDataConfig(format, columns, id, label, missing, delimiter, floor, 0, 10);
    }

    static Stream<Rejection> rejections() {
        return Stream.of(
                new Rejection("unknown format", () -> with("json", List.of(), "id", "label", "skip", ",", 1e-6),
                        "data.format must be one of [auto, csv, parquet], got \"json\" (set it in the data: section)"),
                new Rejection("repeated column", () -> with("csv", List.of("a", "a"), "id", "label", "skip", ",", 1e-6),
                        "data.columns must not repeat a column, got [a, a]"),
                new Rejection("id column as feature", () -> with("csv", List.of("a", "id"), "id", "label", "skip", ",",
                        1e-6), "data.columns must not list the id column \"id\", got [a, id]"),
                new Rejection("blank column", () -> with("csv", List.of(" "), "id", "label", "skip", ",", 1e-6),
                        "data.columns must hold non-blank column names"),
                new Rejection("same id and label", () -> with("csv", List.of(), "key", "key", "skip", ",", 1e-6),
                        "data.labelColumn must differ from data.idColumn, got \"key\""),
                new Rejection("unknown missing rule", () -> with("csv", List.of(), "id", "label", "zero", ",", 1e-6),
                        "data.missing must be one of [skip, mean], got \"zero\""),
                new Rejection("two-character delimiter",
                        () -> with("csv", List.of(), "id", "label", "skip", ";;", 1e-6),
                        "data.delimiter must be one character other than a quote, a space or a line break, got \";;\""),
                new Rejection("quote delimiter", () -> with("csv", List.of(), "id", "label", "skip", "\"", 1e-6),
                        "data.delimiter must be one character other than a quote"),
                new Rejection("zero std floor", () -> with("csv", List.of(), "id", "label", "skip", ",", 0.0),
                        "data.stdFloor must be a finite number > 0, got 0.0"),
                new Rejection("null columns", () -> with("csv", null, "id", "label", "skip", ",", 1e-6),
                        "data.columns must be a list (empty = all numeric columns), got \"null\""));
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void rejectsInvalidSettingsNamingKeyValueAndFix(Rejection r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r.make()::make);

        assertTrue(e.getMessage().contains(r.message()), e.getMessage());
    }
}
