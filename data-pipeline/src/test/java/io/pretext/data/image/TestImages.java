package io.pretext.data.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Real images for tests: Fashion-MNIST from the shared data folder, and encoders for them. */
public final class TestImages {

    private TestImages() {
    }

    /**
     * The Fashion-MNIST folder: {@code shared/data/fashion-mnist} in the nearest ancestor of the working
     * directory that has one (the project root's sibling {@code shared/}), or {@code -Dpretext.data}.
     */
    public static Path fashionMnistDir() {
        String configured = System.getProperty("pretext.data");
        if (configured != null) {
            return Path.of(configured, "fashion-mnist");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/fashion-mnist");
            if (Files.isRegularFile(candidate.resolve("t10k-images-idx3-ubyte.gz"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("Fashion-MNIST not found in shared/data/fashion-mnist above "
                + Path.of("").toAbsolutePath() + " (set -Dpretext.data=/path/to/shared/data)");
    }

    /** The first {@code n} t10k images, each 28*28 grey bytes. */
    public static byte[][] fashionImages(int n) {
        try (DataInputStream in = gz(fashionMnistDir().resolve("t10k-images-idx3-ubyte.gz"))) {
            in.skipNBytes(16);
            byte[][] images = new byte[n][28 * 28];
            for (byte[] image : images) {
                in.readFully(image);
            }
            return images;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code n} t10k labels. */
    public static int[] fashionLabels(int n) {
        try (DataInputStream in = gz(fashionMnistDir().resolve("t10k-labels-idx1-ubyte.gz"))) {
            in.skipNBytes(8);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readUnsignedByte();
            }
            return labels;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DataInputStream gz(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
    }

    public static BufferedImage grey(byte[] samples, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, width, height, samples);
        return image;
    }

    /** An RGB image whose pixel (x, y) is {@code rgb.at(x, y)} as 0xRRGGBB. */
    public static BufferedImage rgb(int width, int height, PixelFunction rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb.at(x, y));
            }
        }
        return image;
    }

    public interface PixelFunction {
        int at(int x, int y);
    }

    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and image type " + image.getType());
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] jpeg(BufferedImage image, float quality) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(image, null, null), param);
            }
            writer.dispose();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] png(byte[] greySamples, int width, int height) {
        return encode(grey(greySamples, width, height), "png");
    }

    /** A smooth RGB test picture (gradients and a disc), like a photo at the given size. */
    public static BufferedImage photoLike(int width, int height) {
        return rgb(width, height, (x, y) -> {
            int r = 255 * x / width;
            int g = 255 * y / height;
            double dx = x - width / 2.0;
            double dy = y - height / 2.0;
            int b = dx * dx + dy * dy < width * height / 9.0 ? 220 : 40;
            return (r << 16) | (g << 8) | b;
        });
    }
}
