package io.pretext.data.augment;

import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.Resampler;
import io.pretext.data.shard.StableHash;
import java.io.Serializable;

/**
 * Makes SimCLR views of {@link ImageRecord}s: RandomResizedCrop (bilinear) to the output size, then
 * horizontal flip, colour jitter (brightness, contrast, saturation, hue in random order), random
 * grayscale and Gaussian blur, each with the semantics of its torchvision namesake. Output is CHW
 * floats in [0, 1].
 *
 * <p>Every random choice comes from the view seed alone, so a view is reproducible from
 * (seed, epoch, record id, view) wherever it is computed. Holds scratch buffers: build one per
 * partition (or thread), not one per image; not thread-safe.
 */
public final class SimClrAugmenter implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final long VIEW_DOMAIN = 0x56494557L; // "VIEW"
    private static final int CROP_TRIES = 10;

    private final SimClrAugmentConfig config;
    private final int channels;
    private final int height;
    private final int width;
    private final boolean blurs;
    private final int blurKernel;

    private transient float[] rows;
    private transient float[] blurScratch;
    private transient long state;

    /**
     * @param channels channels of the input images and of the views (1 or 3)
     * @param height   view rows
     * @param width    view columns
     */
    public SimClrAugmenter(SimClrAugmentConfig config, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("view channels must be 1 or 3, got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("view size must be >= 1x1, got " + height + "x" + width);
        }
        this.config = config;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.blurs = config.blurs(height, width);
        this.blurKernel = ImageOps.blurKernelSize(Math.min(height, width));
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Side of the Gaussian blur kernel, or 0 when views of this size are not blurred. */
    public int blurKernel() {
        return blurs ? blurKernel : 0;
    }

    /** Floats one view takes: {@code channels * height * width}. */
    public int viewSize() {
        return channels * height * width;
    }

    /** The seed of one view: a stable hash of the record id under (seed, epoch, view). */
    public static long viewSeed(long seed, int epoch, String recordId, int view) {
        return StableHash.hash64(recordId, StableHash.derive(VIEW_DOMAIN, seed, epoch, view));
    }

    /**
     * Writes one view of {@code image}, {@code [channels, height, width]} in [0, 1], to
     * {@code out[offset ..< offset + viewSize()]}.
     */
    public void view(ImageRecord image, long viewSeed, float[] out, int offset) {
        if (image.channels() != channels) {
            throw new IllegalArgumentException("image " + image.id() + " has " + image.channels()
                    + " channels, the augmenter makes " + channels + "-channel views");
        }
        if (offset < 0 || offset + viewSize() > out.length) {
            throw new IllegalArgumentException("view needs " + viewSize() + " floats at offset " + offset
                    + ", output holds " + out.length);
        }
        state = viewSeed;
        resizedCrop(image, out, offset);
        if (nextDouble() < config.flipProbability()) {
            ImageOps.flipHorizontal(out, offset, channels, height, width);
        }
        if (nextDouble() < config.jitterProbability()) {
            colorJitter(out, offset);
        }
        if (nextDouble() < config.grayscaleProbability()) {
            ImageOps.grayscale(out, offset, channels, height, width);
        }
        if (blurs && nextDouble() < config.blurProbability()) {
            float sigma = (float) uniform(config.blurSigmaMin(), config.blurSigmaMax());
            ImageOps.gaussianBlur(out, offset, channels, height, width, blurKernel, sigma, blurScratch());
        }
    }

    /** torchvision RandomResizedCrop.get_params, then a bilinear (anti-aliased when shrinking) resize. */
    private void resizedCrop(ImageRecord image, float[] out, int offset) {
        int srcH = image.height();
        int srcW = image.width();
        double area = (double) srcH * srcW;
        double logRatioMin = Math.log(config.cropRatioMin());
        double logRatioMax = Math.log(config.cropRatioMax());
        int cropW = 0;
        int cropH = 0;
        int top = -1;
        int left = -1;
        for (int attempt = 0; attempt < CROP_TRIES && top < 0; attempt++) {
            double targetArea = area * uniform(config.cropScaleMin(), config.cropScaleMax());
            double ratio = Math.exp(uniform(logRatioMin, logRatioMax));
            int w = (int) Math.round(Math.sqrt(targetArea * ratio));
            int h = (int) Math.round(Math.sqrt(targetArea / ratio));
            if (w > 0 && h > 0 && w <= srcW && h <= srcH) {
                cropW = w;
                cropH = h;
                top = nextInt(srcH - h + 1);
                left = nextInt(srcW - w + 1);
            }
        }
        if (top < 0) { // fall back to a centre crop at the nearest allowed ratio
            double inRatio = (double) srcW / srcH;
            if (inRatio < config.cropRatioMin()) {
                cropW = srcW;
                cropH = Math.max(1, Math.min(srcH, (int) Math.round(cropW / config.cropRatioMin())));
            } else if (inRatio > config.cropRatioMax()) {
                cropH = srcH;
                cropW = Math.max(1, Math.min(srcW, (int) Math.round(cropH * config.cropRatioMax())));
            } else {
                cropW = srcW;
                cropH = srcH;
            }
            top = (srcH - cropH) / 2;
            left = (srcW - cropW) / 2;
        }
        Resampler.Kernel kx = Resampler.triangle(srcW, left, cropW, width);
        Resampler.Kernel ky = Resampler.triangle(srcH, top, cropH, height);
        int y0 = ky.minSource();
        int y1 = ky.endSource();
        float[] tmp = rows((y1 - y0) * width); // [y1 - y0, width]
        byte[] pixels = image.pixels();
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            for (int y = y0; y < y1; y++) {
                Resampler.resampleRow(pixels, (c * srcH + y) * srcW, kx, tmp, (y - y0) * width);
            }
            int dst = offset + c * plane;
            Resampler.resampleColumns(tmp, 0, width, ky, 1f / 255f, out, dst);
            for (int i = dst; i < dst + plane; i++) {
                out[i] = ImageOps.clamp(out[i]);
            }
        }
    }

    /** torchvision ColorJitter: factors drawn, then the four adjustments in a random order. */
    private void colorJitter(float[] out, int offset) {
        int[] order = {0, 1, 2, 3};
        for (int i = 3; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float b = jitterFactor(config.brightness());
        float c = jitterFactor(config.contrast());
        float s = jitterFactor(config.saturation());
        float h = (float) uniform(-config.hue(), config.hue());
        for (int op : order) {
            switch (op) {
                case 0 -> {
                    if (config.brightness() > 0) {
                        ImageOps.brightness(out, offset, channels, height, width, b);
                    }
                }
                case 1 -> {
                    if (config.contrast() > 0) {
                        ImageOps.contrast(out, offset, channels, height, width, c);
                    }
                }
                case 2 -> {
                    if (config.saturation() > 0) {
                        ImageOps.saturation(out, offset, channels, height, width, s);
                    }
                }
                default -> {
                    if (config.hue() > 0) {
                        ImageOps.hue(out, offset, channels, height, width, h);
                    }
                }
            }
        }
    }

    private float jitterFactor(double strength) {
        return (float) uniform(Math.max(0, 1 - strength), 1 + strength);
    }

    private float[] rows(int size) {
        if (rows == null || rows.length < size) {
            rows = new float[Math.max(size, height * width)];
        }
        return rows;
    }

    private float[] blurScratch() {
        if (blurScratch == null) {
            blurScratch = new float[height * width];
        }
        return blurScratch;
    }

    // SplitMix64: a tiny, fast generator whose whole state is the view seed
    private long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return StableHash.mix(state);
    }

    private double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    private double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    private int nextInt(int bound) {
        return (int) (nextDouble() * bound);
    }
}
