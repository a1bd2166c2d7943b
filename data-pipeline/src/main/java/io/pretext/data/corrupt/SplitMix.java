package io.pretext.data.corrupt;

import io.pretext.data.shard.StableHash;

/**
 * SplitMix64 (Steele, Lea and Flood 2014): a small, fast generator whose whole state is one long, so a
 * draw sequence is fixed by its seed on every JVM. Gaussian values by the Box-Muller transform.
 */
final class SplitMix {

    private static final double TWO_POW_53 = 0x1.0p-53;

    private long state;
    private double spareGaussian = Double.NaN;

    SplitMix(long seed) {
        this.state = seed;
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return StableHash.mix(state);
    }

    /** Uniform in [0, 1), 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * TWO_POW_53;
    }

    boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's multiply-shift with rejection). */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long threshold = (1L << 32) % bound;
        while (true) {
            long r = nextLong() >>> 32;                     // 32 random bits
            long product = r * bound;
            if ((product & 0xFFFFFFFFL) >= threshold) {
                return (int) (product >>> 32);
            }
        }
    }

    /** Standard normal; values come in pairs from one Box-Muller transform of two uniforms. */
    double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1 = 1.0 - nextDouble();                      // (0, 1]: log stays finite
        double u2 = nextDouble();
        double radius = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = radius * Math.sin(2 * Math.PI * u2);
        return radius * Math.cos(2 * Math.PI * u2);
    }
}
