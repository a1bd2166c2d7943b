package io.pretext.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The dataset config records: validation messages name the key, the value, the rule and the section. */
class DatasetConfigsTest {

    record Case(String name, Supplier<Object> build, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> invalid() {
        String shards = " (set it in the shards: section)";
        String dedup = " (set it in the dedup: section)";
        return List.of(
                new Case("shards.targetBytes", () -> new ShardConfig(10, "snappy", 1 << 20),
                        "shards.targetBytes must be >= 1024, got 10" + shards),
                new Case("shards.compression", () -> new ShardConfig(1 << 20, "lz4", 1 << 20),
                        "shards.compression must be one of [snappy, zstd, gzip, uncompressed], got \"lz4\"" + shards),
                new Case("shards.rowGroupBytes", () -> new ShardConfig(1 << 20, "snappy", 1000),
                        "shards.rowGroupBytes must be in [65536, 2147483647], got 1000" + shards),
                new Case("dedup.similarity", () -> new DedupConfig(true, 0, 5, 5),
                        "dedup.similarity must be in (0, 1], got 0.0" + dedup),
                new Case("dedup.shingleWords", () -> new DedupConfig(true, 0.8, 0, 5),
                        "dedup.shingleWords must be in [1, 64], got 0" + dedup),
                new Case("dedup.hashTables", () -> new DedupConfig(true, 0.8, 5, 100),
                        "dedup.hashTables must be in [1, 64], got 100" + dedup),
                new Case("input.partitioning", () -> new InputConfig("dates"),
                        "input.partitioning must be one of [none, folders], got \"dates\" (set it in the input: "
                                + "section)"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsInvalidValuesNamingKeyValueRuleAndSection(Case c) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c.build()::get);
        assertEquals(c.message(), e.getMessage());
    }

    @Test
    void defaultsAreValid() {
        assertEquals(128L << 20, ShardConfig.defaults().targetBytes());
        assertEquals(false, DedupConfig.defaults().near());
        assertEquals("none", InputConfig.defaults().partitioning());
    }
}
