package io.pretext.data.bench;

import io.pretext.data.augment.SimClrAugmentConfig;
import io.pretext.data.augment.SimClrAugmenter;
import io.pretext.data.image.DecodeResult;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.data.image.ImageDecoder;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.TestImages;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;

/**
 * Single-thread throughput of decoding and SimCLR view making, printed as items/s per core
 * (median of rounds). Not a test; from the project root:
 * <pre>
 * mvn -o -q -pl data-pipeline test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -cp data-pipeline/target/test-classes:data-pipeline/target/classes:$(cat data-pipeline/target/test.classpath) \
 *     io.pretext.data.bench.DataPipelineBenchmark
 * </pre>
 */
public final class DataPipelineBenchmark {

    private static final int ROUNDS = 7;

    private DataPipelineBenchmark() {
    }

    public static void main(String[] args) {
        benchDecodePng28();
        benchDecodeJpeg256();
        benchViews(32, 1024);
        benchViews(96, 256);
    }

    private static void benchDecodePng28() {
        byte[][] fashion = TestImages.fashionImages(1000);
        byte[][] files = new byte[fashion.length][];
        for (int i = 0; i < fashion.length; i++) {
            files[i] = TestImages.png(fashion[i], 28, 28);
        }
        ImageDecoder decoder = new ImageDecoder(ImageDataConfig.defaults().withImageSize(1, 28, 28));
        report("decode PNG 28x28 grey -> 1x28x28", files.length, () -> decodeAll(decoder, files));
    }

    private static void benchDecodeJpeg256() {
        Random random = new Random(1);
        byte[][] files = new byte[64][];
        for (int i = 0; i < files.length; i++) {
            files[i] = TestImages.jpeg(texturedPhoto(256, 256, random), 0.9f);
        }
        System.out.printf("  (JPEG 256x256 files: %d bytes on average)%n",
                Arrays.stream(files).mapToInt(f -> f.length).sum() / files.length);
        ImageDecoder decoder = new ImageDecoder(ImageDataConfig.defaults().withImageSize(3, 96, 96));
        report("decode JPEG 256x256 RGB -> 3x96x96 (center-crop, area)", files.length, () -> decodeAll(decoder, files));
    }

    private static void decodeAll(ImageDecoder decoder, byte[][] files) {
        for (int i = 0; i < files.length; i++) {
            DecodeResult r = decoder.decode("b" + i, null, files[i]);
            if (!(r instanceof ImageRecord)) {
                throw new IllegalStateException("benchmark input rejected: " + r);
            }
        }
    }

    private static void benchViews(int side, int count) {
        Random random = new Random(2);
        ImageDecoder decoder = new ImageDecoder(ImageDataConfig.defaults().withImageSize(3, side, side));
        ImageRecord[] images = new ImageRecord[16];
        for (int i = 0; i < images.length; i++) {
            images[i] = (ImageRecord) decoder.decode("v" + i, null,
                    TestImages.encode(texturedPhoto(side, side, random), "png"));
        }
        SimClrAugmentConfig config = SimClrAugmentConfig.defaults();
        SimClrAugmenter aug = new SimClrAugmenter(config, 3, side, side);
        float[] out = new float[aug.viewSize()];
        report(String.format("SimCLR views 3x%dx%d (blur %s)", side, side, config.blurs(side, side) ? "on, p=0.5" : "off"),
                count, () -> {
                    for (int i = 0; i < count; i++) {
                        aug.view(images[i % images.length], SimClrAugmenter.viewSeed(7, 0, images[i % images.length].id(), i), out, 0);
                    }
                });
    }

    /** Smooth gradients plus noise, so JPEG has real texture to code. */
    private static BufferedImage texturedPhoto(int width, int height, Random random) {
        BufferedImage base = TestImages.photoLike(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = base.getRGB(x, y);
                int noise = random.nextInt(41) - 20;
                int r = clamp(((rgb >> 16) & 0xFF) + noise);
                int g = clamp(((rgb >> 8) & 0xFF) + noise);
                int b = clamp((rgb & 0xFF) + noise);
                base.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return base;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static void report(String name, int items, Runnable work) {
        for (int i = 0; i < 3; i++) {
            work.run(); // warm-up: JIT and ImageIO readers
        }
        double[] rates = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            work.run();
            rates[round] = items / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf("%-60s median %,10.0f /s per core (min %,.0f, max %,.0f)%n", name, rates[ROUNDS / 2], rates[0],
                rates[ROUNDS - 1]);
    }
}
