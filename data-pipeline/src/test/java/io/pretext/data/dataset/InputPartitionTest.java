package io.pretext.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

class InputPartitionTest {

    private static final InputConfig WHOLE = InputConfig.defaults();
    private static final InputConfig FOLDERS = new InputConfig("folders");

    @TempDir
    Path tmp;

    private Path file(String relative, String content) throws IOException {
        Path f = tmp.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_000L));
        return f;
    }

    private List<InputPartition> list(InputConfig config) {
        return InputPartition.list(tmp.toString(), config, new Configuration());
    }

    @Test
    void anUnpartitionedInputIsOnePartitionOfAllItsVisibleFiles() throws IOException {
        file("a/1.txt", "one");
        file("b/2.txt", "two!");
        file(".hidden/3.txt", "x");
        file("a/_SUCCESS", "");
        List<InputPartition> partitions = list(WHOLE);
        assertEquals(1, partitions.size());
        InputPartition p = partitions.get(0);
        assertEquals(InputPartition.WHOLE_INPUT, p.name());
        assertEquals(2, p.files());
        assertEquals(7, p.bytes());
    }

    @Test
    void foldersPartitioningMakesOnePartitionPerSubFolderSortedByName() throws IOException {
        file("2024-05-02/x/1.txt", "b");
        file("2024-05-01/2.txt", "a");
        file("_staging/3.txt", "c");
        List<InputPartition> partitions = list(FOLDERS);
        assertEquals(List.of("2024-05-01", "2024-05-02"), partitions.stream().map(InputPartition::name).toList());
        assertTrue(partitions.get(1).path().endsWith("/2024-05-02"));
    }

    @Test
    void theFingerprintIsStableForAnUnchangedInput() throws IOException {
        file("a/1.txt", "one");
        assertEquals(list(WHOLE).get(0).fingerprint(), list(WHOLE).get(0).fingerprint());
    }

    record Change(String name, ChangeAction action) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface ChangeAction {
        void apply(Path root) throws IOException;
    }

    static List<Change> changes() {
        return List.of(
                new Change("a file added", root -> Files.writeString(root.resolve("a/2.txt"), "new")),
                new Change("a file removed", root -> Files.delete(root.resolve("a/1.txt"))),
                new Change("a file renamed", root -> Files.move(root.resolve("a/1.txt"), root.resolve("a/9.txt"))),
                new Change("a file grown", root -> Files.writeString(root.resolve("a/1.txt"), "one more")),
                new Change("a file touched", root -> Files.setLastModifiedTime(root.resolve("a/1.txt"),
                        FileTime.fromMillis(1_800_000_000_000L))));
    }

    @ParameterizedTest
    @MethodSource("changes")
    void theFingerprintChangesWhenTheInputChanges(Change change) throws IOException {
        file("a/1.txt", "one");
        file("b/2.txt", "two");
        String before = list(WHOLE).get(0).fingerprint();
        change.action().apply(tmp);
        assertNotEquals(before, list(WHOLE).get(0).fingerprint());
    }

    @Test
    void anEditKeepingSizeAndTimeKeepsTheFingerprint() throws IOException {
        Path f = file("a/1.txt", "one");
        String before = list(WHOLE).get(0).fingerprint();
        Files.writeString(f, "two");
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_000L));
        assertEquals(before, list(WHOLE).get(0).fingerprint(), "contents are not read, by definition");
    }

    @Test
    void foldersPartitioningRefusesLooseFiles() throws IOException {
        file("2024-05-01/1.txt", "a");
        file("stray.txt", "b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> list(FOLDERS));
        assertTrue(e.getMessage().contains("holds files outside sub-folders [stray.txt]"), e.getMessage());
    }

    @Test
    void anEmptyOrMissingInputIsRefused() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InputPartition.list(
                tmp.resolve("empty").toString(), WHOLE, new Configuration())).getMessage().contains("holds no files"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InputPartition.list(
                tmp.resolve("nope").toString(), WHOLE, new Configuration())).getMessage().contains("does not exist"));
    }
}
