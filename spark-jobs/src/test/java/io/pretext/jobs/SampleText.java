package io.pretext.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Small real text corpora for tests, copied from the shared data folder ({@code shared/data/text} in the nearest
 * ancestor of the working directory, or {@code -Dpretext.data}): State of the Union addresses, Moby-Dick chapters
 * and SpamAssassin e-mails (one sub-folder per class).
 */
public final class SampleText {

    private SampleText() {
    }

    /** {@code shared/data}. */
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

    /** A corpus folder: {@code sotu}, {@code moby-dick}, {@code spam-assassin}. */
    public static Path corpus(String name) {
        return dataDir().resolve("text").resolve(name);
    }

    /** Copies the files {@code [from, from + count)} of a flat corpus, in name order, into {@code target}. */
    public static Path copy(String corpus, int from, int count, Path target) {
        try {
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(corpus(corpus))) {
                for (Path f : files.sorted().skip(from).limit(count).toList()) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A labelled train/test pair from the SpamAssassin e-mails: of each class the {@code perClass} files first in
     * SHA-256-of-name order, a file in {@code test/<class>/} when its hash is divisible by 4 and in
     * {@code train/<class>/} otherwise. Deterministic.
     *
     * @return {@code target}, holding {@code train/ham}, {@code train/spam}, {@code test/ham}, {@code test/spam}
     */
    public static Path spamHam(int perClass, Path target) {
        try {
            for (String label : List.of("ham", "spam")) {
                try (Stream<Path> files = Files.list(corpus("spam-assassin").resolve(label))) {
                    for (Path f : files.sorted(Comparator.comparing(SampleText::hash)).limit(perClass).toList()) {
                        String split = Long.remainderUnsigned(Long.parseUnsignedLong(hash(f).substring(0, 15), 16), 4)
                                == 0 ? "test" : "train";
                        Path dir = Files.createDirectories(target.resolve(split).resolve(label));
                        Files.copy(f, dir.resolve(f.getFileName()));
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files under a folder, recursively. */
    public static long countFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(file.getFileName().toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
