package io.pretext.jobs.config;

import io.pretext.jobs.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigSourceTest {

    private static final Set<String> SECTIONS = Set.of("train", "model");

    @Test
    void setOverridesFileWhichOverridesPreset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.yaml");
        Files.writeString(file, "train:\n  epochs: 5\n  batchSize: 32\n");
        ConfigSource source = ConfigSource.load(SECTIONS, Map.of("train.epochs", 2, "train.seed", 7),
                file.toString(), List.of("train.batchSize=16"));
        TrainingConfig train = source.section("train", TrainingConfig.defaults());
        assertEquals(5, train.epochs());
        assertEquals(16, train.batchSize());
        assertEquals(7, train.seed());
    }

    @Test
    void refusesUnknownSection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.yaml");
        Files.writeString(file, "trian:\n  epochs: 5\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigSource.load(SECTIONS, Map.of(), file.toString(), List.of()));
        assertTrue(e.getMessage().contains("unknown section trian"), e.getMessage());
    }

    @Test
    void refusesMalformedSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigSource.load(SECTIONS, Map.of(), null, List.of("train.epochs")));
        assertTrue(e.getMessage().contains("section.key=value"), e.getMessage());
    }

    @Test
    void refusesMissingConfigFile(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigSource.load(SECTIONS, Map.of(), dir.resolve("nope.yaml").toString(), List.of()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void parsesScalarsLikeYaml() {
        assertEquals(5, ConfigSource.parseScalar("5"));
        assertEquals(true, ConfigSource.parseScalar("true"));
        assertEquals("adam", ConfigSource.parseScalar("adam"));
        assertEquals(List.of(1, 2), ConfigSource.parseScalar("[1, 2]"));
    }
}
