package io.pretext.data.corrupt;

import io.pretext.data.shard.StableHash;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Applies a {@link CorruptionConfig} to float values, one example at a time or a batch.
 *
 * <p>Every example's corruption is drawn from its own seed, {@link #exampleSeed}(run seed, epoch,
 * record id), so it is the same on every rerun, executor and partitioning, changes from epoch to epoch,
 * and does not depend on which other examples share the batch. Stateless and serialisable: one
 * instance serves any number of threads.
 */
public final class Corruption implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Seed domain of corruption draws; distinct from the other uses of the run seed. */
    private static final long DOMAIN = 0x636f727275707431L; // "corrupt1"

    private final CorruptionConfig config;

    public Corruption(CorruptionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public CorruptionConfig config() {
        return config;
    }

    /** Whether {@link #apply} leaves values unchanged. */
    public boolean isNone() {
        return config.isNone();
    }

    /** The seed of one example's corruption: a stable hash of the record id under (seed, epoch). */
    public static long exampleSeed(long seed, int epoch, String recordId) {
        return StableHash.hash64(recordId, StableHash.derive(DOMAIN, seed, epoch));
    }

    /** Corrupts {@code values[offset ..< offset + length]}, one example, in place. */
    public void apply(float[] values, int offset, int length, long exampleSeed) {
        if (offset < 0 || length < 0 || offset + length > values.length) {
            throw new IllegalArgumentException("example of " + length + " values at offset " + offset
                    + " does not fit an array of " + values.length);
        }
        SplitMix random = new SplitMix(exampleSeed);
        switch (config.kind()) {
            case "gaussian" -> gaussian(values, offset, length, random);
            case "masking" -> replaceChosen(values, offset, length, random, false);
            case "salt-and-pepper" -> replaceChosen(values, offset, length, random, true);
            case "none" -> {
            }
            default -> throw new IllegalStateException("unhandled corrupt.kind " + config.kind());
        }
    }

    /**
     * A corrupted copy of a batch {@code [N, ...]} (any rank, row {@code i} one example), row {@code i}
     * corrupted with {@link #exampleSeed}{@code (seed, epoch, ids.get(i))}; {@code clean} is not changed.
     * Float; with {@code kind: none} the copy equals the input.
     */
    public INDArray corrupt(INDArray clean, List<String> ids, long seed, int epoch) {
        if (clean.rank() < 2 || clean.size(0) != ids.size()) {
            throw new IllegalArgumentException("a batch [N, ...] needs one id per row: got shape "
                    + Arrays.toString(clean.shape()) + " and " + ids.size() + " ids");
        }
        float[] values = clean.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int size = (int) (clean.length() / clean.size(0));
        for (int i = 0; i < ids.size(); i++) {
            apply(values, i * size, size, exampleSeed(seed, epoch, ids.get(i)));
        }
        return Nd4j.create(values, clean.shape(), DataType.FLOAT);
    }

    /** {@code x + sigma * N(0, 1)}, clipped to [min, max] when configured. */
    private void gaussian(float[] values, int offset, int length, SplitMix random) {
        double sigma = config.sigma();
        for (int i = offset; i < offset + length; i++) {
            double v = values[i] + sigma * random.nextGaussian();
            if (config.clip()) {
                v = Math.min(config.max(), Math.max(config.min(), v));
            }
            values[i] = (float) v;
        }
    }

    /**
     * Chooses {@code round(fraction * length)} positions uniformly without replacement (a partial
     * Fisher-Yates shuffle) and sets them to 0 (masking) or to min/max by a fair coin (salt and pepper).
     */
    private void replaceChosen(float[] values, int offset, int length, SplitMix random, boolean saltAndPepper) {
        int count = (int) Math.round(config.fraction() * length);
        int[] positions = new int[length];
        for (int i = 0; i < length; i++) {
            positions[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(length - i);
            int chosen = positions[j];
            positions[j] = positions[i];
            positions[i] = chosen;
            float replacement = 0f;
            if (saltAndPepper) {
                replacement = (float) (random.nextBoolean() ? config.max() : config.min());
            }
            values[offset + chosen] = replacement;
        }
    }

    @Override
    public String toString() {
        return "Corruption(" + config + ")";
    }
}
