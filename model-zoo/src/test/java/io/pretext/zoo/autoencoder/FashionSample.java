package io.pretext.zoo.autoencoder;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The first Fashion-MNIST test images from the shared data folder, as the data pipeline delivers them. */
final class FashionSample {

    private FashionSample() {
    }

    /** The Fashion-MNIST folder: {@code shared/data/fashion-mnist} in the nearest ancestor that has one. */
    static Path dir() {
        String configured = System.getProperty("pretext.data");
        if (configured != null) {
            return Path.of(configured, "fashion-mnist");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/fashion-mnist");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Fashion-MNIST not found in shared/data/fashion-mnist above "
                + Path.of("").toAbsolutePath() + " (set -Dpretext.data=/path/to/shared/data)");
    }

    /** Images {@code skip..skip+n-1} of the test set, {@code [n, 1, 28, 28]} in [0, 1], default floating-point type. */
    static INDArray images(int skip, int n) {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(
                Files.newInputStream(dir().resolve("t10k-images-idx3-ubyte.gz"))))) {
            in.skipNBytes(16 + (long) skip * 784);
            byte[] pixels = new byte[n * 784];
            in.readFully(pixels);
            double[] values = new double[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                values[i] = (pixels[i] & 0xFF) / 255.0;
            }
            return Nd4j.create(values, new long[] {n, 1, 28, 28}, Nd4j.defaultFloatingPointType());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
