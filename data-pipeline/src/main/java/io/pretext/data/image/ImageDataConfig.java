package io.pretext.data.image;

import java.io.Serializable;
import java.util.List;

/**
 * How an image corpus is read and what every decoded image becomes. YAML section {@code data:}.
 *
 * @param channels         1 (grey) or 3 (RGB): every image is converted to this on decode
 * @param height           rows of every decoded image
 * @param width            columns of every decoded image
 * @param resize           {@code center-crop} (keep aspect, scale the shorter side, crop the centre)
 *                         or {@code stretch} (scale each axis independently)
 * @param minSourceSize    images whose source width or height is below this are rejected (too_small)
 * @param maxFileBytes     files larger than this are rejected unread (too_large)
 * @param maxSourcePixels  images whose header declares more pixels are rejected before decoding
 *                         (too_large), a guard against decompression bombs
 * @param format           {@code auto}, {@code folder}, {@code parquet} or {@code idx}
 * @param imageColumn      Parquet: the binary column holding encoded image bytes (or a struct with a
 *                         binary {@code bytes} field)
 * @param labelColumn      Parquet: the optional label column
 * @param idColumn         Parquet: the optional id column; without it the id is {@code file#row}
 * @param partitions       partitions of the decoded corpus; 0 picks from the input size
 * @param rejectSampleSize how many rejects the report lists by id
 */
public record ImageDataConfig(
        int channels,
        int height,
        int width,
        String resize,
        int minSourceSize,
        long maxFileBytes,
        long maxSourcePixels,
        String format,
        String imageColumn,
        String labelColumn,
        String idColumn,
        int partitions,
        int rejectSampleSize) implements Serializable {

    public static final List<String> RESIZE_MODES = List.of("center-crop", "stretch");
    public static final List<String> FORMATS = List.of("auto", "folder", "parquet", "idx");
    private static final String FIX = " (set it in the data: section)";

    public ImageDataConfig {
        require(channels == 1 || channels == 3, "channels", channels, "must be 1 or 3");
        require(height >= 1, "height", height, "must be >= 1");
        require(width >= 1, "width", width, "must be >= 1");
        require(RESIZE_MODES.contains(resize), "resize", resize, "must be one of " + RESIZE_MODES);
        require(minSourceSize >= 1, "minSourceSize", minSourceSize, "must be >= 1");
        require(maxFileBytes >= 1, "maxFileBytes", maxFileBytes, "must be >= 1");
        require(maxSourcePixels >= (long) minSourceSize * minSourceSize, "maxSourcePixels", maxSourcePixels,
                "must be >= minSourceSize^2 = " + (long) minSourceSize * minSourceSize);
        require(FORMATS.contains(format), "format", format, "must be one of " + FORMATS);
        require(isColumnName(imageColumn), "imageColumn", imageColumn, "must be a non-blank column name");
        require(isColumnName(labelColumn), "labelColumn", labelColumn, "must be a non-blank column name");
        require(isColumnName(idColumn), "idColumn", idColumn, "must be a non-blank column name");
        require(partitions >= 0, "partitions", partitions, "must be >= 0 (0 = chosen from the input size)");
        require(rejectSampleSize >= 0, "rejectSampleSize", rejectSampleSize, "must be >= 0");
    }

    /** 3x32x32 centre-cropped images, format detected, 8 px minimum, 64 MiB and 100 Mpx maximum. */
    public static ImageDataConfig defaults() {
        return new ImageDataConfig(3, 32, 32, "center-crop", 8, 64L << 20, 100_000_000L, "auto",
                "image", "label", "id", 0, 100);
    }

    /** The same settings converting every image to {@code channels x height x width}. */
    public ImageDataConfig withImageSize(int channels, int height, int width) {
        return new ImageDataConfig(channels, height, width, resize, minSourceSize, maxFileBytes, maxSourcePixels,
                format, imageColumn, labelColumn, idColumn, partitions, rejectSampleSize);
    }

    /** The same settings reading the given format. */
    public ImageDataConfig withFormat(String format) {
        return new ImageDataConfig(channels, height, width, resize, minSourceSize, maxFileBytes, maxSourcePixels,
                format, imageColumn, labelColumn, idColumn, partitions, rejectSampleSize);
    }

    boolean centerCrop() {
        return "center-crop".equals(resize);
    }

    private static boolean isColumnName(String name) {
        return name != null && !name.isBlank();
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            String shown = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
            throw new IllegalArgumentException("data." + key + " " + rule + ", got " + shown + FIX);
        }
    }
}
