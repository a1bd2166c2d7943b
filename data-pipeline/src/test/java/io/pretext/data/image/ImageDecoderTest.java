package io.pretext.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ImageDecoderTest {

    private static final byte[] FASHION = TestImages.fashionImages(1)[0];

    private static ImageDataConfig config(int channels, int height, int width) {
        return ImageDataConfig.defaults().withImageSize(channels, height, width);
    }

    private static ImageRecord decodeOk(ImageDataConfig config, byte[] bytes) {
        DecodeResult result = new ImageDecoder(config).decode("img", "cls", bytes);
        return assertInstanceOf(ImageRecord.class, result, () -> "expected an image, got " + result);
    }

    @Test
    void greyPngAtItsOwnSizeDecodesToTheExactSamples() {
        ImageRecord image = decodeOk(config(1, 28, 28), TestImages.png(FASHION, 28, 28));
        assertArrayEquals(FASHION, image.pixels());
        assertEquals("img", image.id());
        assertEquals("cls", image.label());
    }

    @Test
    void greyBecomesRgbByReplicatingTheChannel() {
        ImageRecord image = decodeOk(config(3, 28, 28), TestImages.png(FASHION, 28, 28));
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(FASHION, Arrays.copyOfRange(image.pixels(), c * 784, (c + 1) * 784));
        }
    }

    @Test
    void rgbBecomesGreyByLuma() {
        BufferedImage colours = TestImages.rgb(16, 16, (x, y) -> x < 8 ? 0xFF0000 : 0x0000FF);
        ImageRecord image = decodeOk(config(1, 16, 16), TestImages.encode(colours, "png"));
        assertEquals(Math.round(0.299f * 255), image.sample(0, 3, 2));
        assertEquals(Math.round(0.114f * 255), image.sample(0, 3, 12));
    }

    @Test
    void rgbPlanesAreInRedGreenBlueOrder() {
        BufferedImage colour = TestImages.rgb(10, 10, (x, y) -> 0x102030);
        ImageRecord image = decodeOk(config(3, 10, 10), TestImages.encode(colour, "png"));
        assertEquals(List.of(0x10, 0x20, 0x30), List.of(image.sample(0, 5, 5), image.sample(1, 5, 5), image.sample(2, 5, 5)));
    }

    @Test
    void alphaIsDroppedKeepingTheStoredColour() {
        BufferedImage rgba = new BufferedImage(12, 12, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) {
                rgba.setRGB(x, y, (x < 6 ? 0x00 : 0xFF) << 24 | 0x405060);
            }
        }
        ImageRecord image = decodeOk(config(3, 12, 12), TestImages.encode(rgba, "png"));
        for (int x : new int[] {1, 10}) {
            assertEquals(List.of(0x40, 0x50, 0x60), List.of(image.sample(0, 4, x), image.sample(1, 4, x), image.sample(2, 4, x)));
        }
    }

    @Test
    void paletteImagesAreLookedUp() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        r[0] = (byte) 200;
        g[0] = 10;
        b[0] = 20;
        b[1] = (byte) 250;
        // 256 entries: the JDK's BMP writer mis-encodes 2-entry palettes as 1-bit images
        BufferedImage indexed = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                indexed.getRaster().setSample(x, y, 0, y < 5 ? 0 : 1);
            }
        }
        for (String format : List.of("png", "gif", "bmp")) {
            ImageRecord image = decodeOk(config(3, 10, 10), TestImages.encode(indexed, format));
            assertEquals(List.of(200, 10, 20), List.of(image.sample(0, 1, 3), image.sample(1, 1, 3), image.sample(2, 1, 3)), format);
            assertEquals(List.of(0, 0, 250), List.of(image.sample(0, 8, 3), image.sample(1, 8, 3), image.sample(2, 8, 3)), format);
        }
    }

    @Test
    void sixteenBitGreyIsScaledToEightBits() {
        BufferedImage deep = new BufferedImage(10, 10, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                deep.getRaster().setSample(x, y, 0, x < 5 ? 65535 : 32896);
            }
        }
        ImageRecord image = decodeOk(config(1, 10, 10), TestImages.encode(deep, "png"));
        assertEquals(255, image.sample(0, 2, 1));
        assertEquals(128, image.sample(0, 2, 8));
    }

    @Test
    void tiffAndBmpDecodeExactly() {
        BufferedImage colour = TestImages.rgb(12, 12, (x, y) -> (x * 20) << 16 | (y * 20) << 8 | 77);
        for (String format : List.of("tiff", "bmp")) {
            ImageRecord image = decodeOk(config(3, 12, 12), TestImages.encode(colour, format));
            assertEquals(List.of(100, 140, 77), List.of(image.sample(0, 7, 5), image.sample(1, 7, 5), image.sample(2, 7, 5)), format);
        }
    }

    @Test
    void jpegDecodesCloseToItsSource() {
        ImageRecord image = decodeOk(config(1, 28, 28), TestImages.jpeg(TestImages.grey(FASHION, 28, 28), 0.95f));
        double meanError = 0;
        for (int i = 0; i < FASHION.length; i++) {
            meanError += Math.abs((FASHION[i] & 0xFF) - (image.pixels()[i] & 0xFF));
        }
        meanError /= FASHION.length;
        assertTrue(meanError < 4, "mean absolute error " + meanError);
    }

    @Test
    void shrinkingAveragesAreasInsteadOfSampling() {
        byte[] checker = new byte[64 * 64];
        for (int i = 0; i < checker.length; i++) {
            checker[i] = (byte) (((i / 64) + (i % 64)) % 2 == 0 ? 0 : 255);
        }
        ImageRecord image = decodeOk(config(1, 8, 8), TestImages.png(checker, 64, 64));
        for (byte p : image.pixels()) {
            assertEquals(128, p & 0xFF, 1);
        }
    }

    @Test
    void shrinkingByANonIntegerFactorKeepsTheMean() {
        ImageRecord image = decodeOk(config(1, 10, 10), TestImages.png(FASHION, 28, 28));
        assertEquals(mean(FASHION), mean(image.pixels()), 1.0);
    }

    @Test
    void centerCropKeepsTheCentreOfAWideImage() {
        // 64x32: black side bands of 16 px around a white 32x32 centre
        BufferedImage wide = TestImages.rgb(64, 32, (x, y) -> x >= 16 && x < 48 ? 0xFFFFFF : 0);
        ImageRecord image = decodeOk(config(1, 16, 16), TestImages.encode(wide, "png"));
        for (byte p : image.pixels()) {
            assertEquals(255, p & 0xFF);
        }
    }

    @Test
    void stretchKeepsTheWholeWideImage() {
        BufferedImage wide = TestImages.rgb(64, 32, (x, y) -> x >= 16 && x < 48 ? 0xFFFFFF : 0);
        ImageDataConfig c = config(1, 16, 16);
        ImageDataConfig stretch = new ImageDataConfig(1, 16, 16, "stretch", c.minSourceSize(), c.maxFileBytes(),
                c.maxSourcePixels(), c.format(), c.imageColumn(), c.labelColumn(), c.idColumn(), c.partitions(),
                c.rejectSampleSize());
        ImageRecord image = decodeOk(stretch, TestImages.encode(wide, "png"));
        assertEquals(0, image.sample(0, 8, 1));
        assertEquals(255, image.sample(0, 8, 8));
        assertEquals(0, image.sample(0, 8, 14));
    }

    @Test
    void enlargingInterpolatesBetweenNeighbours() {
        byte[] halves = new byte[8 * 8];
        for (int i = 0; i < halves.length; i++) {
            halves[i] = (byte) (i % 8 < 4 ? 0 : 200);
        }
        ImageRecord image = decodeOk(config(1, 32, 32), TestImages.png(halves, 8, 8));
        assertEquals(0, image.sample(0, 10, 0));
        assertEquals(200, image.sample(0, 10, 31));
        int edge = image.sample(0, 10, 16);
        assertTrue(edge > 0 && edge < 200, "value at the edge " + edge);
    }

    @Test
    void idxSamplesDecodeLikeAGreyPng() {
        DecodeResult raw = new ImageDecoder(config(1, 20, 20)).decodeGrey("r", null, FASHION, 0, 28, 28);
        ImageRecord png = decodeOk(config(1, 20, 20), TestImages.png(FASHION, 28, 28));
        assertArrayEquals(png.pixels(), assertInstanceOf(ImageRecord.class, raw).pixels());
    }

    record Case(String name, Supplier<byte[]> bytes, RejectReason reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> badInputs() {
        byte[] png = TestImages.png(FASHION, 28, 28);
        byte[] jpeg = TestImages.jpeg(TestImages.grey(FASHION, 28, 28), 0.9f);
        return List.of(
                new Case("zero bytes", () -> new byte[0], RejectReason.EMPTY_FILE),
                new Case("text", () -> "not an image at all\n".getBytes(StandardCharsets.UTF_8), RejectReason.NOT_AN_IMAGE),
                new Case("png cut in half", () -> Arrays.copyOf(png, png.length / 2), RejectReason.TRUNCATED),
                new Case("png without IEND", () -> Arrays.copyOf(png, png.length - 12), RejectReason.TRUNCATED),
                new Case("png with a corrupted data byte", () -> flipByte(png, png.length - 20), RejectReason.UNDECODABLE),
                new Case("png signature then random bytes", () -> pngSignatureThenRandom(), RejectReason.UNDECODABLE),
                new Case("jpeg cut in half", () -> Arrays.copyOf(jpeg, jpeg.length / 2), RejectReason.TRUNCATED),
                new Case("jpeg without EOI", () -> Arrays.copyOf(jpeg, jpeg.length - 2), RejectReason.TRUNCATED),
                new Case("gif cut", () -> cut(TestImages.encode(TestImages.grey(FASHION, 28, 28), "gif"), 10), RejectReason.TRUNCATED),
                new Case("bmp cut", () -> cut(TestImages.encode(TestImages.grey(FASHION, 28, 28), "bmp"), 100), RejectReason.TRUNCATED),
                new Case("4x4 image", () -> TestImages.png(new byte[16], 4, 4), RejectReason.TOO_SMALL),
                new Case("28x4 image", () -> TestImages.png(new byte[28 * 4], 28, 4), RejectReason.TOO_SMALL),
                new Case("header declaring 60000x60000", () -> pngDeclaring(60_000, 60_000), RejectReason.TOO_LARGE),
                new Case("webp", () -> webpHeader(), RejectReason.UNSUPPORTED_FORMAT));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputIsRejectedWithItsReason(Case c) {
        DecodeResult result = new ImageDecoder(config(1, 28, 28)).decode("bad/" + c.name(), null, c.bytes().get());
        ImageReject reject = assertInstanceOf(ImageReject.class, result, () -> c.name() + " gave " + result);
        assertEquals(c.reason(), reject.reason(), reject::toString);
        assertEquals("bad/" + c.name(), reject.id());
        assertFalse(reject.detail().isBlank());
    }

    @Test
    void fileAboveMaxFileBytesIsRejectedAsTooLarge() {
        ImageDataConfig c = config(1, 28, 28);
        byte[] png = TestImages.png(FASHION, 28, 28);
        ImageDataConfig small = new ImageDataConfig(1, 28, 28, c.resize(), c.minSourceSize(), png.length - 1,
                c.maxSourcePixels(), c.format(), c.imageColumn(), c.labelColumn(), c.idColumn(), c.partitions(),
                c.rejectSampleSize());
        DecodeResult result = new ImageDecoder(small).decode("big", null, png);
        assertEquals(RejectReason.TOO_LARGE, assertInstanceOf(ImageReject.class, result).reason());
    }

    @Test
    void rejectReasonKeysAreDistinctSnakeCase() {
        List<String> keys = Arrays.stream(RejectReason.values()).map(RejectReason::key).toList();
        assertEquals(keys.size(), keys.stream().distinct().count());
        for (RejectReason reason : RejectReason.values()) {
            assertEquals(reason.name().toLowerCase(java.util.Locale.ROOT), reason.key());
        }
    }

    private static double mean(byte[] pixels) {
        double sum = 0;
        for (byte p : pixels) {
            sum += p & 0xFF;
        }
        return sum / pixels.length;
    }

    private static byte[] flipByte(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x5A;
        return copy;
    }

    private static byte[] cut(byte[] bytes, int drop) {
        return Arrays.copyOf(bytes, bytes.length - drop);
    }

    private static byte[] pngSignatureThenRandom() {
        byte[] bytes = new byte[600];
        new Random(7).nextBytes(bytes);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, bytes, 0, 8);
        return bytes;
    }

    /** A structurally complete PNG whose IHDR declares the given size (a decompression-bomb header). */
    private static byte[] pngDeclaring(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] webpHeader() {
        ByteBuffer b = ByteBuffer.allocate(40);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(32).put("WEBPVP8 ".getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }
}
