package io.pretext.jobs.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirectoryTest {

    @Test
    void refusesALocationUnderAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunDirectory.create(file.resolve("run").toString()));
        assertTrue(e.getMessage().contains("is not writable"), e.getMessage());
    }

    @Test
    void refusesAFileAsRunDirectory(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunDirectory.create(file.toString()));
        assertTrue(e.getMessage().contains("is a file"), e.getMessage());
    }

    @Test
    void writesAtomicallyLeavingNoTemporaryFiles(@TempDir Path dir) throws Exception {
        RunDirectory run = RunDirectory.create(dir.resolve("run").toString());
        run.writeString("a/b.txt", "one");
        run.writeString("a/b.txt", "two");
        assertEquals("two", run.readString("a/b.txt"));
        try (var files = Files.list(dir.resolve("run/a"))) {
            assertEquals(java.util.List.of("b.txt"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aFailedWriteLeavesThePreviousContent(@TempDir Path dir) {
        RunDirectory run = RunDirectory.create(dir.resolve("run").toString());
        run.writeString("model.zip", "good");
        assertThrows(IllegalStateException.class, () -> run.writeAtomically("model.zip", out -> {
            out.write("partial".getBytes());
            throw new IllegalStateException("crash while writing");
        }));
        assertEquals("good", run.readString("model.zip"));
    }
}
