package io.pretext.data.image;

/**
 * Separable resampling of planar images: a {@link Kernel} per axis maps a (possibly fractional)
 * source interval onto the destination samples, and two passes apply it (rows first, then columns).
 *
 * <p>Two filters: {@link #area} averages the source pixels each destination pixel covers, weighted by
 * the overlap (the right choice when shrinking); {@link #triangle} is bilinear interpolation whose
 * support widens with the shrink factor, so it also anti-aliases (the choice for enlarging, and for
 * crops that may go either way).
 */
public final class Resampler {

    private Resampler() {
    }

    /**
     * Weights of one axis. Destination sample {@code i} is
     * {@code sum_k weight(i, k) * src[first(i) + k]} for {@code k < count(i)}; weights sum to 1.
     */
    public static final class Kernel {
        private final int[] first;
        private final int[] count;
        private final float[] weights; // [dstSize, stride]
        private final int stride;

        private Kernel(int[] first, int[] count, float[] weights, int stride) {
            this.first = first;
            this.count = count;
            this.weights = weights;
            this.stride = stride;
        }

        public int size() {
            return first.length;
        }

        /** Smallest source index any destination sample reads. */
        public int minSource() {
            return first[0];
        }

        /** One past the largest source index any destination sample reads. */
        public int endSource() {
            int end = 0;
            for (int i = 0; i < first.length; i++) {
                end = Math.max(end, first[i] + count[i]);
            }
            return end;
        }
    }

    /**
     * Area-averaging weights: destination sample {@code i} covers the source interval
     * {@code [start + i*s, start + (i+1)*s)} with {@code s = length/dstSize}, and each source pixel
     * {@code [j, j+1)} weighs by its overlap with it. Exact box down-sampling for any ratio.
     */
    public static Kernel area(int srcSize, double start, double length, int dstSize) {
        checkAxis(srcSize, start, length, dstSize);
        double step = length / dstSize;
        int stride = (int) Math.ceil(step) + 2;
        int[] first = new int[dstSize];
        int[] count = new int[dstSize];
        float[] weights = new float[dstSize * stride];
        for (int i = 0; i < dstSize; i++) {
            double lo = start + i * step;
            double hi = lo + step;
            int j0 = Math.max(0, (int) Math.floor(lo));
            int j1 = Math.min(srcSize, (int) Math.ceil(hi));
            double sum = 0;
            int n = 0;
            for (int j = j0; j < j1 && n < stride; j++, n++) {
                double w = Math.max(0, Math.min(j + 1, hi) - Math.max(j, lo));
                weights[i * stride + n] = (float) w;
                sum += w;
            }
            finish(first, count, weights, stride, i, j0, n, sum, srcSize, start + (i + 0.5) * step);
        }
        return new Kernel(first, count, weights, stride);
    }

    /**
     * Bilinear weights with pixel centres aligned ({@code align_corners=false}): the triangle filter,
     * widened by the shrink factor when {@code length > dstSize} so that shrinking averages instead of
     * skipping pixels.
     */
    public static Kernel triangle(int srcSize, double start, double length, int dstSize) {
        checkAxis(srcSize, start, length, dstSize);
        double step = length / dstSize;
        double widen = Math.max(1.0, step);
        int stride = (int) Math.ceil(2 * widen) + 2;
        int[] first = new int[dstSize];
        int[] count = new int[dstSize];
        float[] weights = new float[dstSize * stride];
        for (int i = 0; i < dstSize; i++) {
            double center = start + (i + 0.5) * step;
            int j0 = Math.max(0, (int) Math.floor(center - widen));
            int j1 = Math.min(srcSize, (int) Math.ceil(center + widen));
            double sum = 0;
            int n = 0;
            for (int j = j0; j < j1 && n < stride; j++, n++) {
                double w = Math.max(0, 1 - Math.abs((j + 0.5 - center) / widen));
                weights[i * stride + n] = (float) w;
                sum += w;
            }
            finish(first, count, weights, stride, i, j0, n, sum, srcSize, center);
        }
        return new Kernel(first, count, weights, stride);
    }

    /** Normalises row {@code i}; with no positive weight (a centre off the image) takes the nearest pixel. */
    private static void finish(int[] first, int[] count, float[] weights, int stride, int i, int j0, int n,
            double sum, int srcSize, double center) {
        if (sum > 0) {
            // drop leading zero weights so first() is the first pixel that counts
            int lead = 0;
            while (lead < n - 1 && weights[i * stride + lead] == 0f) {
                lead++;
            }
            for (int k = 0; k < n - lead; k++) {
                weights[i * stride + k] = (float) (weights[i * stride + k + lead] / sum);
            }
            for (int k = n - lead; k < stride; k++) {
                weights[i * stride + k] = 0f;
            }
            first[i] = j0 + lead;
            count[i] = n - lead;
        } else {
            first[i] = Math.min(srcSize - 1, Math.max(0, (int) Math.floor(center)));
            count[i] = 1;
            weights[i * stride] = 1f;
        }
    }

    private static void checkAxis(int srcSize, double start, double length, int dstSize) {
        if (srcSize < 1 || dstSize < 1 || !(length > 0) || start < 0 || start + length > srcSize + 1e-6) {
            throw new IllegalArgumentException("bad resampling axis: source " + srcSize + ", interval [" + start
                    + ", " + (start + length) + "), destination " + dstSize);
        }
    }

    /** Resamples one row of floats: {@code out[outOff + i] = sum_k w(i,k) * row[rowOff + first(i) + k]}. */
    public static void resampleRow(float[] row, int rowOff, Kernel kx, float[] out, int outOff) {
        int[] first = kx.first;
        int[] count = kx.count;
        float[] w = kx.weights;
        int stride = kx.stride;
        for (int i = 0, n = first.length; i < n; i++) {
            int base = rowOff + first[i];
            int wb = i * stride;
            float acc = 0f;
            for (int k = 0, c = count[i]; k < c; k++) {
                acc += w[wb + k] * row[base + k];
            }
            out[outOff + i] = acc;
        }
    }

    /** Same as {@link #resampleRow(float[], int, Kernel, float[], int)} over unsigned bytes. */
    public static void resampleRow(byte[] row, int rowOff, Kernel kx, float[] out, int outOff) {
        int[] first = kx.first;
        int[] count = kx.count;
        float[] w = kx.weights;
        int stride = kx.stride;
        for (int i = 0, n = first.length; i < n; i++) {
            int base = rowOff + first[i];
            int wb = i * stride;
            float acc = 0f;
            for (int k = 0, c = count[i]; k < c; k++) {
                acc += w[wb + k] * (row[base + k] & 0xFF);
            }
            out[outOff + i] = acc;
        }
    }

    /**
     * Column pass. {@code rows} holds already row-resampled source rows {@code ky.minSource()..} as
     * consecutive runs of {@code width} floats starting at {@code rowsOff}; writes the
     * {@code [ky.size(), width]} result times {@code scale} to {@code out} at {@code outOff}.
     */
    public static void resampleColumns(float[] rows, int rowsOff, int width, Kernel ky, float scale,
            float[] out, int outOff) {
        int[] first = ky.first;
        int[] count = ky.count;
        float[] w = ky.weights;
        int stride = ky.stride;
        int min = ky.minSource();
        for (int i = 0, n = first.length; i < n; i++) {
            int dst = outOff + i * width;
            int wb = i * stride;
            int src0 = rowsOff + (first[i] - min) * width;
            float w0 = w[wb] * scale;
            for (int x = 0; x < width; x++) {
                out[dst + x] = w0 * rows[src0 + x];
            }
            for (int k = 1, c = count[i]; k < c; k++) {
                float wk = w[wb + k] * scale;
                int src = src0 + k * width;
                for (int x = 0; x < width; x++) {
                    out[dst + x] += wk * rows[src + x];
                }
            }
        }
    }
}
