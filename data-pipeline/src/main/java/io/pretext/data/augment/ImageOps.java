package io.pretext.data.augment;

/**
 * In-place operations on one planar float image {@code [channels, height, width]} stored at
 * {@code off} in {@code buf}, values in [0, 1]. Colour operations follow torchvision's tensor
 * semantics; for one channel, saturation, hue and grayscale leave the image unchanged.
 */
final class ImageOps {

    // ITU-R 601 luma, as torchvision's rgb_to_grayscale
    static final float LUMA_R = 0.299f;
    static final float LUMA_G = 0.587f;
    static final float LUMA_B = 0.114f;

    private ImageOps() {
    }

    static void flipHorizontal(float[] buf, int off, int channels, int height, int width) {
        for (int row = 0, rows = channels * height; row < rows; row++) {
            int a = off + row * width;
            int b = a + width - 1;
            while (a < b) {
                float t = buf[a];
                buf[a++] = buf[b];
                buf[b--] = t;
            }
        }
    }

    /** {@code x * factor}, clamped: blending with black. */
    static void brightness(float[] buf, int off, int channels, int height, int width, float factor) {
        for (int i = off, end = off + channels * height * width; i < end; i++) {
            buf[i] = clamp(buf[i] * factor);
        }
    }

    /** Blend with the mean grey level of the whole image: {@code factor * x + (1 - factor) * mean}. */
    static void contrast(float[] buf, int off, int channels, int height, int width, float factor) {
        int plane = height * width;
        double sum = 0;
        if (channels == 3) {
            for (int i = 0; i < plane; i++) {
                sum += LUMA_R * buf[off + i] + LUMA_G * buf[off + plane + i] + LUMA_B * buf[off + 2 * plane + i];
            }
        } else {
            for (int i = 0; i < plane; i++) {
                sum += buf[off + i];
            }
        }
        float shift = (float) ((1 - factor) * sum / plane);
        for (int i = off, end = off + channels * plane; i < end; i++) {
            buf[i] = clamp(factor * buf[i] + shift);
        }
    }

    /** Blend each pixel with its own grey level: {@code factor * x + (1 - factor) * luma(x)}. */
    static void saturation(float[] buf, int off, int channels, int height, int width, float factor) {
        if (channels != 3) {
            return;
        }
        int plane = height * width;
        float keep = 1 - factor;
        for (int i = 0; i < plane; i++) {
            int r = off + i;
            int g = r + plane;
            int b = g + plane;
            float grey = keep * (LUMA_R * buf[r] + LUMA_G * buf[g] + LUMA_B * buf[b]);
            buf[r] = clamp(factor * buf[r] + grey);
            buf[g] = clamp(factor * buf[g] + grey);
            buf[b] = clamp(factor * buf[b] + grey);
        }
    }

    /** Rotates the hue by {@code shift} turns in HSV space (shift in [-0.5, 0.5]). */
    static void hue(float[] buf, int off, int channels, int height, int width, float shift) {
        if (channels != 3 || shift == 0f) {
            return;
        }
        int plane = height * width;
        for (int i = 0; i < plane; i++) {
            int ri = off + i;
            int gi = ri + plane;
            int bi = gi + plane;
            float r = buf[ri];
            float g = buf[gi];
            float b = buf[bi];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float chroma = max - min;
            if (chroma <= 0f) {
                continue; // grey: no hue to rotate
            }
            float h;
            if (max == r) {
                h = (g - b) / chroma;
            } else if (max == g) {
                h = 2f + (b - r) / chroma;
            } else {
                h = 4f + (r - g) / chroma;
            }
            h = h / 6f + shift;
            h -= (float) Math.floor(h);
            // back to RGB with value = max and saturation = chroma / max
            float h6 = h * 6f;
            int sector = (int) h6;
            float f = h6 - sector;
            float p = max - chroma;
            float q = max - chroma * f;
            float t = max - chroma * (1f - f);
            switch (sector) {
                case 0 -> set(buf, ri, gi, bi, max, t, p);
                case 1 -> set(buf, ri, gi, bi, q, max, p);
                case 2 -> set(buf, ri, gi, bi, p, max, t);
                case 3 -> set(buf, ri, gi, bi, p, q, max);
                case 4 -> set(buf, ri, gi, bi, t, p, max);
                default -> set(buf, ri, gi, bi, max, p, q);
            }
        }
    }

    private static void set(float[] buf, int ri, int gi, int bi, float r, float g, float b) {
        buf[ri] = r;
        buf[gi] = g;
        buf[bi] = b;
    }

    /** Replaces every channel by the luma of the pixel. */
    static void grayscale(float[] buf, int off, int channels, int height, int width) {
        if (channels != 3) {
            return;
        }
        int plane = height * width;
        for (int i = 0; i < plane; i++) {
            int r = off + i;
            float grey = LUMA_R * buf[r] + LUMA_G * buf[r + plane] + LUMA_B * buf[r + 2 * plane];
            buf[r] = grey;
            buf[r + plane] = grey;
            buf[r + 2 * plane] = grey;
        }
    }

    /** Kernel size for a view side: ~10% of it, odd, at least 3. */
    static int blurKernelSize(int side) {
        int k = Math.max(3, (int) (0.1 * side));
        return k % 2 == 0 ? k + 1 : k;
    }

    /**
     * Separable Gaussian blur with reflect padding (edge pixel not repeated), as torchvision's
     * GaussianBlur. {@code scratch} must hold at least {@code height * width} floats.
     */
    static void gaussianBlur(float[] buf, int off, int channels, int height, int width, int kernelSize, float sigma,
            float[] scratch) {
        int radius = kernelSize / 2;
        float[] kernel = new float[kernelSize];
        double sum = 0;
        for (int k = 0; k < kernelSize; k++) {
            double x = (k - radius) / (double) sigma;
            kernel[k] = (float) Math.exp(-0.5 * x * x);
            sum += kernel[k];
        }
        for (int k = 0; k < kernelSize; k++) {
            kernel[k] /= (float) sum;
        }
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int base = off + c * plane;
            // rows: buf -> scratch; the interior as shifted multiply-adds over whole runs (vectorisable)
            int inner0 = Math.min(radius, width);
            int inner1 = Math.max(inner0, width - radius);
            for (int y = 0; y < height; y++) {
                int row = base + y * width;
                int out = y * width;
                float k0 = kernel[0];
                for (int x = inner0; x < inner1; x++) {
                    scratch[out + x] = k0 * buf[row + x - radius];
                }
                for (int k = 1; k < kernelSize; k++) {
                    float wk = kernel[k];
                    int shift = row + k - radius;
                    for (int x = inner0; x < inner1; x++) {
                        scratch[out + x] += wk * buf[shift + x];
                    }
                }
                for (int x = 0; x < inner0; x++) {
                    scratch[out + x] = reflectedTap(buf, row, x, width, kernel, radius);
                }
                for (int x = inner1; x < width; x++) {
                    scratch[out + x] = reflectedTap(buf, row, x, width, kernel, radius);
                }
            }
            // columns: scratch -> buf
            for (int y = 0; y < height; y++) {
                int out = base + y * width;
                if (y >= radius && y + radius < height) {
                    float k0 = kernel[0];
                    int src0 = (y - radius) * width;
                    for (int x = 0; x < width; x++) {
                        buf[out + x] = k0 * scratch[src0 + x];
                    }
                    for (int k = 1; k < kernelSize; k++) {
                        float wk = kernel[k];
                        int src = (y - radius + k) * width;
                        for (int x = 0; x < width; x++) {
                            buf[out + x] += wk * scratch[src + x];
                        }
                    }
                } else {
                    for (int x = 0; x < width; x++) {
                        float acc = 0f;
                        for (int k = 0; k < kernelSize; k++) {
                            acc += kernel[k] * scratch[reflect(y + k - radius, height) * width + x];
                        }
                        buf[out + x] = acc;
                    }
                }
            }
        }
    }

    /** One horizontal blur output near the row ends, reading mirrored pixels. */
    private static float reflectedTap(float[] buf, int row, int x, int width, float[] kernel, int radius) {
        float acc = 0f;
        for (int k = 0; k < kernel.length; k++) {
            acc += kernel[k] * buf[row + reflect(x + k - radius, width)];
        }
        return acc;
    }

    /** Mirror index into [0, n) without repeating the edge: -1 -> 1, n -> n - 2. */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    static float clamp(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}
