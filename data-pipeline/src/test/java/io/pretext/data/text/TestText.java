package io.pretext.data.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Real text for tests: the shared data folder's corpora and the bert-base-uncased vocabulary. */
public final class TestText {

    private static Vocabulary bertVocab;

    private TestText() {
    }

    /**
     * {@code shared/data} in the nearest ancestor of the working directory that has one, or
     * {@code -Dpretext.data}.
     */
    public static Path dataDir() {
        String configured = System.getProperty("pretext.data");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data");
            if (Files.isDirectory(candidate.resolve("text"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/data/text not found above " + Path.of("").toAbsolutePath()
                + " (set -Dpretext.data=/path/to/shared/data)");
    }

    /** A text corpus folder: {@code sotu}, {@code moby-dick}, {@code spam-assassin}. */
    public static Path corpus(String name) {
        return dataDir().resolve("text").resolve(name);
    }

    public static Path bertVocabFile() {
        return dataDir().resolve("vocab/bert-base-uncased-vocab.txt");
    }

    /** The bert-base-uncased vocabulary, loaded once per test JVM. */
    public static synchronized Vocabulary bertVocab() {
        if (bertVocab == null) {
            bertVocab = Vocabulary.load(bertVocabFile().toString());
        }
        return bertVocab;
    }

    /** The first {@code limit} files of a UTF-8 corpus folder as documents (id = file name), split on the driver. */
    public static List<TextDocument> documents(String corpus, int limit) {
        List<TextDocument> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(corpus(corpus))) {
            for (Path f : files.sorted().limit(limit).toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                out.add(new TextDocument(f.getFileName().toString(), null, SentenceSplitter.split(text)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
