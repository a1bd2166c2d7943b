package io.pretext.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Small labelled image folders for tests, copied from the bundled Fashion-MNIST sample. */
public final class SampleImages {

    /** The bundled sample, relative to the spark-jobs module. */
    public static final Path SAMPLE = Path.of("..", "deploy", "samples", "fashion-mnist").toAbsolutePath().normalize();

    private SampleImages() {
    }

    /** Copies the first {@code perClass} images of each of {@code classes} from {@code split} into {@code target}. */
    public static Path copy(String split, List<String> classes, int perClass, Path target) {
        try {
            for (String c : classes) {
                Path dir = Files.createDirectories(target.resolve(c));
                try (Stream<Path> files = Files.list(SAMPLE.resolve(split).resolve(c))) {
                    for (Path f : files.sorted().limit(perClass).toList()) {
                        Files.copy(f, dir.resolve(f.getFileName()));
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
