package io.pretext.zoo.optim;

import java.util.Locale;
import java.util.Objects;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning-rate schedule indexed by iteration (optimizer step): a linear warm-up, then a decay.
 *
 * <pre>
 *   step t < warmupSteps:            base * t / warmupSteps                  (0 at t = 0)
 *   warmupSteps <= t <= totalSteps:  p = (t - warmupSteps) / (totalSteps - warmupSteps)
 *       COSINE:   final + (base - final) * (1 + cos(pi p)) / 2
 *       LINEAR:   base - (base - final) * p
 *       CONSTANT: base
 *   t > totalSteps:                  final (COSINE, LINEAR) or base (CONSTANT)
 * </pre>
 *
 * with {@code final = base * finalFraction}. The epoch argument of {@link #valueAt} is not used.
 * Immutable; serialises to the graph configuration's JSON.
 */
public final class WarmupSchedule implements ISchedule {

    private static final long serialVersionUID = 1L;

    /** Shape of the schedule after the warm-up. */
    public enum Decay {
        COSINE, LINEAR, CONSTANT;

        /** The lower-case name used in configuration files ({@code "cosine"}, ...). */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @JsonProperty("baseValue")
    private final double baseValue;
    @JsonProperty("warmupSteps")
    private final long warmupSteps;
    @JsonProperty("totalSteps")
    private final long totalSteps;
    @JsonProperty("finalFraction")
    private final double finalFraction;
    @JsonProperty("decay")
    private final Decay decay;

    /**
     * @param baseValue     peak value reached at the end of the warm-up, {@code > 0}
     * @param warmupSteps   steps of linear warm-up from 0, {@code >= 0}
     * @param totalSteps    step at which the decay ends; {@code > warmupSteps} unless {@code decay}
     *                      is {@link Decay#CONSTANT}, where it is not used
     * @param finalFraction value at {@code totalSteps} as a fraction of {@code baseValue}, in [0, 1]
     * @param decay         shape after the warm-up
     */
    @JsonCreator
    public WarmupSchedule(@JsonProperty("baseValue") double baseValue,
            @JsonProperty("warmupSteps") long warmupSteps,
            @JsonProperty("totalSteps") long totalSteps,
            @JsonProperty("finalFraction") double finalFraction,
            @JsonProperty("decay") Decay decay) {
        if (!(baseValue > 0) || Double.isInfinite(baseValue)) {
            throw new IllegalArgumentException("schedule base value must be a finite number > 0, got " + baseValue);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("schedule warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (!(finalFraction >= 0 && finalFraction <= 1)) {
            throw new IllegalArgumentException("schedule finalFraction must be in [0, 1], got " + finalFraction);
        }
        Objects.requireNonNull(decay, "decay");
        if (decay != Decay.CONSTANT && totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("schedule totalSteps must be > warmupSteps (" + warmupSteps
                    + ") for " + decay.key() + " decay, got " + totalSteps);
        }
        this.baseValue = baseValue;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.finalFraction = finalFraction;
        this.decay = decay;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        long t = iteration;
        if (t < warmupSteps) {
            return baseValue * t / warmupSteps;
        }
        if (decay == Decay.CONSTANT) {
            return baseValue;
        }
        double finalValue = baseValue * finalFraction;
        if (t >= totalSteps) {
            return finalValue;
        }
        double progress = (double) (t - warmupSteps) / (totalSteps - warmupSteps);
        return switch (decay) {
            case COSINE -> finalValue + (baseValue - finalValue) * 0.5 * (1 + Math.cos(Math.PI * progress));
            case LINEAR -> baseValue - (baseValue - finalValue) * progress;
            case CONSTANT -> baseValue;
        };
    }

    @Override
    public ISchedule clone() {
        return new WarmupSchedule(baseValue, warmupSteps, totalSteps, finalFraction, decay);
    }

    public double getBaseValue() {
        return baseValue;
    }

    public long getWarmupSteps() {
        return warmupSteps;
    }

    public long getTotalSteps() {
        return totalSteps;
    }

    public double getFinalFraction() {
        return finalFraction;
    }

    public Decay getDecay() {
        return decay;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarmupSchedule s
                && Double.compare(baseValue, s.baseValue) == 0
                && warmupSteps == s.warmupSteps
                && totalSteps == s.totalSteps
                && Double.compare(finalFraction, s.finalFraction) == 0
                && decay == s.decay;
    }

    @Override
    public int hashCode() {
        return Objects.hash(baseValue, warmupSteps, totalSteps, finalFraction, decay);
    }

    @Override
    public String toString() {
        return "WarmupSchedule(base=" + baseValue + ", warmupSteps=" + warmupSteps + ", totalSteps=" + totalSteps
                + ", finalFraction=" + finalFraction + ", decay=" + decay.key() + ")";
    }
}
