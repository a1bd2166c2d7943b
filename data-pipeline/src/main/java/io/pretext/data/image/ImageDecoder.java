package io.pretext.data.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns encoded bytes (PNG, JPEG, GIF, BMP, TIFF) or raw grey samples into {@link ImageRecord}s of
 * the configured channels and size, or into an {@link ImageReject} with a reason. Never throws for
 * bad input: every failure is a reject.
 *
 * <p>Colour: grey sources are replicated to RGB, RGB becomes grey by ITU-R 601 luma
 * ({@code 0.299 R + 0.587 G + 0.114 B}), alpha is dropped, palettes are looked up, 16-bit samples
 * scaled to 8 bits. Samples are taken as stored (no colour-profile conversion), as most training
 * pipelines do. Size: {@code center-crop} scales the shorter side to fit and crops the centre,
 * {@code stretch} scales each axis; shrinking averages areas, enlarging is bilinear.
 *
 * <p>Holds reusable ImageIO readers, so an instance is not thread-safe: make one per partition.
 */
public final class ImageDecoder implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final double LUMA_R = 0.299;
    private static final double LUMA_G = 0.587;
    private static final double LUMA_B = 0.114;

    private final ImageDataConfig config;
    private transient Map<ContainerFormat, ImageReader> readers;

    public ImageDecoder(ImageDataConfig config) {
        this.config = config;
    }

    public ImageDataConfig config() {
        return config;
    }

    /** Decodes one encoded image file. */
    public DecodeResult decode(String id, String label, byte[] bytes) {
        if (bytes.length == 0) {
            return new ImageReject(id, RejectReason.EMPTY_FILE, "0 bytes");
        }
        if (bytes.length > config.maxFileBytes()) {
            return tooLargeFile(id, bytes.length);
        }
        ContainerFormat format = ContainerFormat.sniff(bytes);
        if (format == null) {
            return new ImageReject(id, RejectReason.NOT_AN_IMAGE, "no image signature; starts with " + leadingBytes(bytes));
        }
        if (!format.supported()) {
            return new ImageReject(id, RejectReason.UNSUPPORTED_FORMAT, format.displayName() + " is not supported");
        }
        ImageReject broken = format.check(id, bytes);
        if (broken != null) {
            return broken;
        }
        try {
            return decodeWithImageIo(id, label, format, bytes);
        } catch (EOFException e) {
            return new ImageReject(id, RejectReason.TRUNCATED, format.displayName() + " ended early: " + message(e));
        } catch (IOException | RuntimeException e) {
            if (e.getCause() instanceof EOFException) {
                return new ImageReject(id, RejectReason.TRUNCATED, format.displayName() + " ended early: " + message(e));
            }
            return new ImageReject(id, RejectReason.UNDECODABLE, format.displayName() + ": " + message(e));
        }
    }

    /**
     * Converts raw 8-bit grey samples (IDX and other headerless sources) of {@code height x width},
     * starting at {@code offset}.
     */
    public DecodeResult decodeGrey(String id, String label, byte[] samples, int offset, int height, int width) {
        ImageReject sizeReject = checkSize(id, width, height);
        if (sizeReject != null) {
            return sizeReject;
        }
        return convert(id, label, new GreyBytes(samples, offset, width), width, height);
    }

    /** The reject for a file whose size is known to exceed {@code data.maxFileBytes} before reading it. */
    public ImageReject tooLargeFile(String id, long bytes) {
        return new ImageReject(id, RejectReason.TOO_LARGE,
                bytes + " bytes > data.maxFileBytes " + config.maxFileBytes());
    }

    private DecodeResult decodeWithImageIo(String id, String label, ContainerFormat format, byte[] bytes)
            throws IOException {
        ImageReader reader = reader(format);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            ImageReject sizeReject = checkSize(id, width, height);
            if (sizeReject != null) {
                return sizeReject;
            }
            BufferedImage image = reader.read(0);
            return convert(id, label, rowsOf(image), image.getWidth(), image.getHeight());
        } finally {
            reader.reset();
        }
    }

    private ImageReject checkSize(String id, int width, int height) {
        if (width < config.minSourceSize() || height < config.minSourceSize()) {
            return new ImageReject(id, RejectReason.TOO_SMALL,
                    width + "x" + height + " px, data.minSourceSize is " + config.minSourceSize());
        }
        if ((long) width * height > config.maxSourcePixels()) {
            return new ImageReject(id, RejectReason.TOO_LARGE,
                    width + "x" + height + " px > data.maxSourcePixels " + config.maxSourcePixels());
        }
        return null;
    }

    private ImageReader reader(ContainerFormat format) {
        if (readers == null) {
            readers = new EnumMap<>(ContainerFormat.class);
        }
        return readers.computeIfAbsent(format, f -> {
            Iterator<ImageReader> found = ImageIO.getImageReadersByFormatName(f.displayName());
            if (!found.hasNext()) {
                throw new IllegalStateException("no ImageIO reader for " + f.displayName() + " in this JVM");
            }
            return found.next();
        });
    }

    /**
     * Resizes the source rows to the configured size and channels. Works in the fewer of source and
     * target channels: RGB -> grey is applied per source row before resampling, grey -> RGB after.
     */
    private ImageRecord convert(String id, String label, SourceRows source, int srcW, int srcH) {
        int outC = config.channels();
        int outH = config.height();
        int outW = config.width();
        int work = Math.min(source.channels(), outC);

        double cropX = 0;
        double cropY = 0;
        double cropW = srcW;
        double cropH = srcH;
        if (config.centerCrop()) {
            double scale = Math.max((double) outW / srcW, (double) outH / srcH);
            cropW = Math.min(srcW, outW / scale);
            cropH = Math.min(srcH, outH / scale);
            cropX = (srcW - cropW) / 2;
            cropY = (srcH - cropH) / 2;
        }
        Resampler.Kernel kx = cropW > outW ? Resampler.area(srcW, cropX, cropW, outW)
                : Resampler.triangle(srcW, cropX, cropW, outW);
        Resampler.Kernel ky = cropH > outH ? Resampler.area(srcH, cropY, cropH, outH)
                : Resampler.triangle(srcH, cropY, cropH, outH);

        int y0 = ky.minSource();
        int y1 = ky.endSource();
        float[][] row = new float[source.channels()][srcW];
        float[] workRow = work < source.channels() ? new float[srcW] : null;
        float[][] rows = new float[work][(y1 - y0) * outW]; // per channel [y1 - y0, outW]
        for (int y = y0; y < y1; y++) {
            source.read(y, row);
            for (int c = 0; c < work; c++) {
                float[] in = row[c];
                if (workRow != null) { // RGB -> grey
                    float[] r = row[0];
                    float[] g = row[1];
                    float[] b = row[2];
                    for (int x = 0; x < srcW; x++) {
                        workRow[x] = (float) (LUMA_R * r[x] + LUMA_G * g[x] + LUMA_B * b[x]);
                    }
                    in = workRow;
                }
                Resampler.resampleRow(in, 0, kx, rows[c], (y - y0) * outW);
            }
        }
        float[] plane = new float[outH * outW];
        byte[] pixels = new byte[outC * outH * outW];
        for (int c = 0; c < work; c++) {
            Resampler.resampleColumns(rows[c], 0, outW, ky, 1f, plane, 0);
            int base = c * plane.length;
            for (int i = 0; i < plane.length; i++) {
                int v = Math.round(plane[i]);
                pixels[base + i] = (byte) (v < 0 ? 0 : Math.min(v, 255));
            }
        }
        for (int c = work; c < outC; c++) { // grey -> RGB
            System.arraycopy(pixels, 0, pixels, c * plane.length, plane.length);
        }
        return new ImageRecord(id, label, outC, outH, outW, pixels);
    }

    /** Source samples row by row, as floats in 0..255, in 1 (grey) or 3 (RGB) channels. */
    private interface SourceRows {
        int channels();

        void read(int y, float[][] out);
    }

    private record GreyBytes(byte[] data, int offset, int width) implements SourceRows {
        public int channels() {
            return 1;
        }

        public void read(int y, float[][] out) {
            float[] o = out[0];
            int base = offset + y * width;
            for (int x = 0; x < width; x++) {
                o[x] = data[base + x] & 0xFF;
            }
        }
    }

    private static SourceRows rowsOf(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (cm instanceof IndexColorModel icm) {
            return new Palette(raster, icm);
        }
        int space = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        boolean plain = (space == ColorSpace.TYPE_GRAY && colours == 1) || (space == ColorSpace.TYPE_RGB && colours == 3);
        SampleModel sm = raster.getSampleModel();
        if (plain && sm instanceof ComponentSampleModel csm && raster.getParent() == null
                && (raster.getDataBuffer() instanceof DataBufferByte || raster.getDataBuffer() instanceof DataBufferUShort)) {
            return new Components(raster, csm, colours);
        }
        return new Argb(image);
    }

    /** Interleaved or banded 8/16-bit samples read straight from the data buffer (no colour conversion). */
    private static final class Components implements SourceRows {
        private final int channels;
        private final int[] offsets;
        private final int pixelStride;
        private final int scanlineStride;
        private final int width;
        private final byte[][] bytes;
        private final short[][] shorts;

        Components(Raster raster, ComponentSampleModel sm, int channels) {
            this.channels = channels;
            this.width = raster.getWidth();
            this.pixelStride = sm.getPixelStride();
            this.scanlineStride = sm.getScanlineStride();
            DataBuffer db = raster.getDataBuffer();
            int[] banks = sm.getBankIndices();
            int[] bandOffsets = sm.getBandOffsets();
            int tx = raster.getSampleModelTranslateX();
            int ty = raster.getSampleModelTranslateY();
            offsets = new int[channels];
            bytes = new byte[channels][];
            shorts = new short[channels][];
            for (int c = 0; c < channels; c++) {
                offsets[c] = db.getOffsets()[banks[c]] + bandOffsets[c] - ty * scanlineStride - tx * pixelStride;
                if (db instanceof DataBufferByte b) {
                    bytes[c] = b.getData(banks[c]);
                } else {
                    shorts[c] = ((DataBufferUShort) db).getData(banks[c]);
                }
            }
        }

        public int channels() {
            return channels;
        }

        public void read(int y, float[][] out) {
            for (int c = 0; c < channels; c++) {
                float[] o = out[c];
                int p = offsets[c] + y * scanlineStride;
                if (bytes[c] != null) {
                    byte[] d = bytes[c];
                    for (int x = 0; x < width; x++, p += pixelStride) {
                        o[x] = d[p] & 0xFF;
                    }
                } else {
                    short[] d = shorts[c];
                    for (int x = 0; x < width; x++, p += pixelStride) {
                        o[x] = (d[p] & 0xFFFF) * (255f / 65535f);
                    }
                }
            }
        }
    }

    /** Palette images: indices looked up in the colour map; alpha dropped; an all-grey palette stays grey. */
    private static final class Palette implements SourceRows {
        private final Raster raster;
        private final float[][] lut;
        private final int[] indices;

        Palette(Raster raster, IndexColorModel icm) {
            this.raster = raster;
            int n = icm.getMapSize();
            float[] r = new float[n];
            float[] g = new float[n];
            float[] b = new float[n];
            boolean grey = true;
            for (int i = 0; i < n; i++) {
                r[i] = icm.getRed(i);
                g[i] = icm.getGreen(i);
                b[i] = icm.getBlue(i);
                grey &= r[i] == g[i] && g[i] == b[i];
            }
            lut = grey ? new float[][] {r} : new float[][] {r, g, b};
            indices = new int[raster.getWidth()];
        }

        public int channels() {
            return lut.length;
        }

        public void read(int y, float[][] out) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, indices.length, 1, 0, indices);
            for (int c = 0; c < lut.length; c++) {
                float[] o = out[c];
                float[] l = lut[c];
                for (int x = 0; x < indices.length; x++) {
                    o[x] = l[Math.min(indices[x], l.length - 1)];
                }
            }
        }
    }

    /** Everything else (CMYK, YCbCr TIFF, packed formats): converted to sRGB by the colour model. */
    private static final class Argb implements SourceRows {
        private final BufferedImage image;
        private final int[] argb;

        Argb(BufferedImage image) {
            this.image = image;
            this.argb = new int[image.getWidth()];
        }

        public int channels() {
            return 3;
        }

        public void read(int y, float[][] out) {
            image.getRGB(0, y, argb.length, 1, argb, 0, argb.length);
            float[] r = out[0];
            float[] g = out[1];
            float[] b = out[2];
            for (int x = 0; x < argb.length; x++) {
                int p = argb[x];
                r[x] = (p >> 16) & 0xFF;
                g[x] = (p >> 8) & 0xFF;
                b[x] = p & 0xFF;
            }
        }
    }

    private static String leadingBytes(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            s.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return "0x" + s;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
