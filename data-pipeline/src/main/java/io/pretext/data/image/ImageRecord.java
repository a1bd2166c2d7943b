package io.pretext.data.image;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded image: 8-bit samples in planar channel-major order.
 *
 * <p>{@code pixels} is {@code [channels, height, width]} flattened (CHW), each byte an unsigned
 * sample in 0..255. Whole corpora are cached in executor memory as these, so the record holds
 * only the id, the optional label, three small ints and the one array.
 *
 * @param id       stable identity of the image inside its corpus (relative path, file#row, ...)
 * @param label    class name, or {@code null} for unlabeled corpora
 * @param channels 1 (grey) or 3 (RGB)
 * @param height   rows
 * @param width    columns
 * @param pixels   {@code channels * height * width} unsigned bytes, CHW
 */
public record ImageRecord(String id, String label, int channels, int height, int width, byte[] pixels)
        implements DecodeResult, Serializable {

    public ImageRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pixels, "pixels");
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image " + id + ": channels must be 1 or 3, got " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "image " + id + ": height and width must be > 0, got " + height + "x" + width);
        }
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException("image " + id + ": pixels must hold channels*height*width = "
                    + channels * height * width + " bytes, got " + pixels.length);
        }
    }

    /** Unsigned sample at (channel, row, column), 0..255. */
    public int sample(int channel, int y, int x) {
        return pixels[(channel * height + y) * width + x] & 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageRecord r
                && id.equals(r.id) && Objects.equals(label, r.label)
                && channels == r.channels && height == r.height && width == r.width
                && Arrays.equals(pixels, r.pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, label, channels, height, width) * 31 + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "ImageRecord[id=" + id + ", label=" + label + ", " + channels + "x" + height + "x" + width + "]";
    }
}
