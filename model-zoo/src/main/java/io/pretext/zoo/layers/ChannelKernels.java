package io.pretext.zoo.layers;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-channel batch-norm arithmetic over contiguous NCHW arrays, as sequential passes over memory.
 *
 * <p>Why plain loops: ND4J reduces over axes (0, 2, 3) and broadcasts along axis 1 through generic
 * strided kernels, and libnd4j's {@code batchnorm_bp} spends about four times a convolution's time in
 * them. In NCHW each row of {@code h*w} values belongs to one channel, so every pass here copies one
 * row at a time into a small array, works on it with per-channel coefficients hoisted out of the
 * inner loop (loops the JIT compiler vectorises: no branches, sums split over eight accumulators),
 * and copies the result back.
 *
 * <p>The ReLU mask is taken branch-free from the layer output {@code y >= 0}: {@code min(y, MIN_NORMAL)
 * / MIN_NORMAL} is exactly 1 for {@code y >= MIN_NORMAL} and 0 for {@code y == 0}; only subnormal
 * outputs (below ~1e-38 in float) would pass a fraction of their gradient.
 *
 * <p>All arrays are {@code [n, c, h, w]}, 'c' order, same shape, no offset. A null {@code reluOut}
 * means "no ReLU mask". Row sums are accumulated per row in the data type, then per channel in double.
 *
 * <p>Passes run over blocks of whole examples in parallel (the common fork-join pool plus the caller): the
 * convolutions around them use every core, and these passes would otherwise leave all but one idle. Each block
 * keeps its own channel sums, added in block order, so a result is the same on any number of cores.
 */
final class ChannelKernels {

    private static final float F_MASK_SCALE = 0x1p126f;     // 1 / Float.MIN_NORMAL, exact
    private static final double D_MASK_SCALE = 0x1p1022;    // 1 / Double.MIN_NORMAL, exact

    private ChannelKernels() {
    }

    /** Per channel: {sum z, sum z^2}. */
    static double[][] sums(INDArray z) {
        Shape s = Shape.of(z);
        if (z.dataType() == DataType.FLOAT) {
            FloatBuffer zb = floats(z);
            return overRows(s, 2, (from, to, out) -> {
                float[] zr = new float[s.hw];
                float[] sq = new float[s.hw];
                for (int row = from; row < to; row++) {
                    zb.get(row * s.hw, zr, 0, s.hw);
                    for (int i = 0; i < s.hw; i++) {
                        sq[i] = zr[i] * zr[i];
                    }
                    out[0][row % s.channels] += sum(zr);
                    out[1][row % s.channels] += sum(sq);
                }
            });
        }
        DoubleBuffer zb = doubles(z);
        return overRows(s, 2, (from, to, out) -> {
            double[] zr = new double[s.hw];
            for (int row = from; row < to; row++) {
                zb.get(row * s.hw, zr, 0, s.hw);
                double a = 0;
                double b = 0;
                for (double v : zr) {
                    a += v;
                    b += v * v;
                }
                out[0][row % s.channels] += a;
                out[1][row % s.channels] += b;
            }
        });
    }

    /** out = scale[c] * z + shift[c], then max(0, .) when relu. */
    static void affine(INDArray z, double[] scale, double[] shift, boolean relu, INDArray out) {
        Shape s = Shape.of(z);
        if (z.dataType() == DataType.FLOAT) {
            FloatBuffer zb = floats(z);
            FloatBuffer ob = floats(out);
            float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
            overRows(s, 0, (from, to, unused) -> {
                float[] zr = new float[s.hw];
                for (int row = from; row < to; row++) {
                    float a = (float) scale[row % s.channels];
                    float b = (float) shift[row % s.channels];
                    zb.get(row * s.hw, zr, 0, s.hw);
                    for (int i = 0; i < s.hw; i++) {
                        zr[i] = Math.max(a * zr[i] + b, floor);
                    }
                    ob.put(row * s.hw, zr, 0, s.hw);
                }
            });
            return;
        }
        DoubleBuffer zb = doubles(z);
        DoubleBuffer ob = doubles(out);
        double floor = relu ? 0 : Double.NEGATIVE_INFINITY;
        overRows(s, 0, (from, to, unused) -> {
            double[] zr = new double[s.hw];
            for (int row = from; row < to; row++) {
                double a = scale[row % s.channels];
                double b = shift[row % s.channels];
                zb.get(row * s.hw, zr, 0, s.hw);
                for (int i = 0; i < s.hw; i++) {
                    zr[i] = Math.max(a * zr[i] + b, floor);
                }
                ob.put(row * s.hw, zr, 0, s.hw);
            }
        });
    }

    /**
     * Writes g = eps masked by {@code reluOut > 0} (eps itself when reluOut is null) into {@code g} and
     * returns, per channel, {sum g, sum g*z}.
     */
    static double[][] maskedGradientSums(INDArray eps, INDArray reluOut, INDArray z, INDArray g) {
        Shape s = Shape.of(z);
        if (z.dataType() == DataType.FLOAT) {
            FloatBuffer eb = floats(eps);
            FloatBuffer zb = floats(z);
            FloatBuffer yb = reluOut == null ? null : floats(reluOut);
            FloatBuffer gb = floats(g);
            return overRows(s, 2, (from, to, out) -> {
                float[] gr = new float[s.hw];
                float[] zr = new float[s.hw];
                float[] yr = new float[s.hw];
                for (int row = from; row < to; row++) {
                    int off = row * s.hw;
                    eb.get(off, gr, 0, s.hw);
                    zb.get(off, zr, 0, s.hw);
                    if (yb != null) {
                        yb.get(off, yr, 0, s.hw);
                        for (int i = 0; i < s.hw; i++) {
                            gr[i] *= Math.min(yr[i], Float.MIN_NORMAL) * F_MASK_SCALE;
                        }
                    }
                    gb.put(off, gr, 0, s.hw);
                    for (int i = 0; i < s.hw; i++) {
                        zr[i] *= gr[i];
                    }
                    out[0][row % s.channels] += sum(gr);
                    out[1][row % s.channels] += sum(zr);
                }
            });
        }
        DoubleBuffer eb = doubles(eps);
        DoubleBuffer zb = doubles(z);
        DoubleBuffer yb = reluOut == null ? null : doubles(reluOut);
        DoubleBuffer gb = doubles(g);
        return overRows(s, 2, (from, to, out) -> {
            double[] gr = new double[s.hw];
            double[] zr = new double[s.hw];
            double[] yr = new double[s.hw];
            for (int row = from; row < to; row++) {
                int off = row * s.hw;
                eb.get(off, gr, 0, s.hw);
                zb.get(off, zr, 0, s.hw);
                if (yb != null) {
                    yb.get(off, yr, 0, s.hw);
                    for (int i = 0; i < s.hw; i++) {
                        gr[i] *= Math.min(yr[i], Double.MIN_NORMAL) * D_MASK_SCALE;
                    }
                }
                gb.put(off, gr, 0, s.hw);
                double a = 0;
                double b = 0;
                for (int i = 0; i < s.hw; i++) {
                    a += gr[i];
                    b += gr[i] * zr[i];
                }
                out[0][row % s.channels] += a;
                out[1][row % s.channels] += b;
            }
        });
    }

    /** In place: g = gScale[c] * g + zScale[c] * z + shift[c]. */
    static void gradientAffine(INDArray g, INDArray z, double[] gScale, double[] zScale, double[] shift) {
        Shape s = Shape.of(z);
        if (z.dataType() == DataType.FLOAT) {
            FloatBuffer gb = floats(g);
            FloatBuffer zb = floats(z);
            overRows(s, 0, (from, to, unused) -> {
                float[] gr = new float[s.hw];
                float[] zr = new float[s.hw];
                for (int row = from; row < to; row++) {
                    int off = row * s.hw;
                    float a = (float) gScale[row % s.channels];
                    float k = (float) zScale[row % s.channels];
                    float b = (float) shift[row % s.channels];
                    gb.get(off, gr, 0, s.hw);
                    zb.get(off, zr, 0, s.hw);
                    for (int i = 0; i < s.hw; i++) {
                        gr[i] = a * gr[i] + k * zr[i] + b;
                    }
                    gb.put(off, gr, 0, s.hw);
                }
            });
            return;
        }
        DoubleBuffer gb = doubles(g);
        DoubleBuffer zb = doubles(z);
        overRows(s, 0, (from, to, unused) -> {
            double[] gr = new double[s.hw];
            double[] zr = new double[s.hw];
            for (int row = from; row < to; row++) {
                int off = row * s.hw;
                double a = gScale[row % s.channels];
                double k = zScale[row % s.channels];
                double b = shift[row % s.channels];
                gb.get(off, gr, 0, s.hw);
                zb.get(off, zr, 0, s.hw);
                for (int i = 0; i < s.hw; i++) {
                    gr[i] = a * gr[i] + k * zr[i] + b;
                }
                gb.put(off, gr, 0, s.hw);
            }
        });
    }

    /** A pass over the rows {@code [from, to)} of one block, adding its per-channel sums into {@code sums[k][c]}. */
    @FunctionalInterface
    private interface RowPass {
        void run(int from, int to, double[][] sums);
    }

    /**
     * Runs {@code pass} over blocks of whole examples, in parallel when there is more than one block, and adds the
     * blocks' sums in block order. Blocks depend only on the shape, so results do not depend on the thread count.
     */
    private static double[][] overRows(Shape s, int sums, RowPass pass) {
        int block = s.blockRows();
        int blocks = (s.rows + block - 1) / block;
        double[][][] partial = new double[blocks][sums][s.channels];
        if (blocks == 1) {
            pass.run(0, s.rows, partial[0]);
        } else if (blocks > 1) {
            IntStream.range(0, blocks).parallel()
                .forEach(b -> pass.run(b * block, Math.min(s.rows, (b + 1) * block), partial[b]));
        }
        double[][] total = new double[sums][s.channels];
        for (double[][] p : partial) {
            for (int k = 0; k < sums; k++) {
                for (int ch = 0; ch < s.channels; ch++) {
                    total[k][ch] += p[k][ch];
                }
            }
        }
        return total;
    }

    /** Sum with eight independent accumulators, so the additions pipeline. */
    private static float sum(float[] v) {
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        float a4 = 0;
        float a5 = 0;
        float a6 = 0;
        float a7 = 0;
        int i = 0;
        for (; i + 8 <= v.length; i += 8) {
            a0 += v[i];
            a1 += v[i + 1];
            a2 += v[i + 2];
            a3 += v[i + 3];
            a4 += v[i + 4];
            a5 += v[i + 5];
            a6 += v[i + 6];
            a7 += v[i + 7];
        }
        for (; i < v.length; i++) {
            a0 += v[i];
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /** An array these kernels can scan directly: contiguous 'c' order, no view offset; otherwise a copy. */
    static INDArray contiguous(INDArray x) {
        boolean direct = x.ordering() == 'c' && x.offset() == 0 && !x.isView()
            && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(x);
        return direct ? x : x.dup('c');
    }

    private static FloatBuffer floats(INDArray x) {
        requireDirect(x);
        return new FloatPointer(x.data().addressPointer()).capacity(x.length()).asBuffer();
    }

    private static DoubleBuffer doubles(INDArray x) {
        requireDirect(x);
        return new DoublePointer(x.data().addressPointer()).capacity(x.length()).asBuffer();
    }

    private static void requireDirect(INDArray x) {
        if (x.ordering() != 'c' || x.offset() != 0 || x.rank() != 4
            || !org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(x)) {
            throw new IllegalStateException("channel kernels need a contiguous 'c' [n, c, h, w] array without offset, got "
                + x.shapeInfoToString());
        }
    }

    /** [n, c, h, w] as rows = n * c of hw values each; row r belongs to channel r % c. */
    private record Shape(int rows, int channels, int hw) {
        /** Values per parallel block, about: large enough that a block outweighs handing it to a thread. */
        private static final int BLOCK_VALUES = 1 << 16;

        /** Rows per block: whole examples, at least one. */
        int blockRows() {
            int examples = Math.max(1, BLOCK_VALUES / (channels * hw));
            return (int) Math.max(1, Math.min(rows, (long) examples * channels));
        }

        static Shape of(INDArray x) {
            long n = x.size(0);
            long c = x.size(1);
            long hw = x.size(2) * x.size(3);
            if (n * c * hw > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("activation too large for channel kernels: " + x.shapeInfoToString());
            }
            return new Shape((int) (n * c), (int) c, (int) hw);
        }
    }
}
