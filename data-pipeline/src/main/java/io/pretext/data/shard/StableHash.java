package io.pretext.data.shard;

import java.nio.charset.StandardCharsets;

/**
 * A seeded 64-bit hash of bytes that is the same on every JVM, platform and release: it depends
 * only on the UTF-8 bytes and the seed (never on {@code String.hashCode} or identity). Eight bytes at
 * a time are mixed in MurmurHash3-x64 style and the result goes through the MurmurHash3 finaliser,
 * so every input bit reaches every output bit.
 */
public final class StableHash {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private StableHash() {
    }

    /** Hash of the UTF-8 bytes of {@code text}. */
    public static long hash64(String text, long seed) {
        return hash64(text.getBytes(StandardCharsets.UTF_8), seed);
    }

    public static long hash64(byte[] data, long seed) {
        int n = data.length;
        long h = seed ^ (n * GOLDEN);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long k = (data[i] & 0xFFL) | (data[i + 1] & 0xFFL) << 8 | (data[i + 2] & 0xFFL) << 16
                    | (data[i + 3] & 0xFFL) << 24 | (data[i + 4] & 0xFFL) << 32 | (data[i + 5] & 0xFFL) << 40
                    | (data[i + 6] & 0xFFL) << 48 | (data[i + 7] & 0xFFL) << 56;
            h ^= scramble(k);
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
        }
        long tail = 0;
        for (int shift = 0; i < n; i++, shift += 8) {
            tail |= (data[i] & 0xFFL) << shift;
        }
        h ^= scramble(tail);
        return mix(h ^ n);
    }

    /** The MurmurHash3 64-bit finaliser: a bijection that spreads every bit of {@code x}. */
    public static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }

    /** A seed for one purpose ({@code domain}) derived from a run seed and further integers. */
    public static long derive(long domain, long seed, long... parts) {
        long h = mix(domain ^ mix(seed + GOLDEN));
        for (long part : parts) {
            h = mix(h + GOLDEN + mix(part));
        }
        return h;
    }

    private static long scramble(long k) {
        k *= C1;
        k = Long.rotateLeft(k, 31);
        return k * C2;
    }
}
