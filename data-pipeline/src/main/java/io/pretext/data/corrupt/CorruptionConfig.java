package io.pretext.data.corrupt;

import java.io.Serializable;
import java.util.List;

/**
 * Input corruption of a denoising autoencoder (Vincent et al. 2010). YAML section {@code corrupt:}.
 *
 * <ul>
 *   <li>{@code gaussian}: every value gets {@code + sigma * N(0, 1)}; with {@code clip} the result is
 *       clipped to [{@code min}, {@code max}] (keep it on for images and a bce loss, whose targets must
 *       stay in [0, 1]).</li>
 *   <li>{@code masking}: {@code round(fraction * D)} of an example's D values, chosen uniformly without
 *       replacement, are set to 0 (for standardised features, 0 is the column mean).</li>
 *   <li>{@code salt-and-pepper}: {@code round(fraction * D)} values, chosen the same way, are set to
 *       {@code min} or {@code max} by a fair coin each.</li>
 *   <li>{@code none}: the input is the clean example (plain ae and vae).</li>
 * </ul>
 * Values are individual array elements: an RGB pixel is three values. Keys another kind does not read
 * are ignored.
 *
 * @param kind     {@code gaussian}, {@code masking}, {@code salt-and-pepper} or {@code none}
 * @param sigma    gaussian: the noise standard deviation, {@code > 0}
 * @param fraction masking, salt-and-pepper: the fraction of an example's values replaced, in (0, 1]
 * @param clip     gaussian: whether results are clipped to [{@code min}, {@code max}]
 * @param min      the smallest valid input value (0 for images scaled to [0, 1]): pepper, lower clip
 * @param max      the largest valid input value (1 for images): salt, upper clip
 */
public record CorruptionConfig(String kind, double sigma, double fraction, boolean clip, double min, double max)
        implements Serializable {

    public static final List<String> KINDS = List.of("gaussian", "masking", "salt-and-pepper", "none");
    private static final String FIX = " (set it in the corrupt: section)";

    public CorruptionConfig {
        require(KINDS.contains(kind), "kind", kind, "must be one of " + KINDS);
        require(sigma >= 0 && Double.isFinite(sigma), "sigma", sigma, "must be a finite number >= 0");
        require(!kind.equals("gaussian") || sigma > 0, "sigma", sigma, "must be > 0 for kind gaussian, e.g. 0.1");
        require(fraction >= 0 && fraction <= 1, "fraction", fraction, "must be in [0, 1]");
        require(!(kind.equals("masking") || kind.equals("salt-and-pepper")) || fraction > 0, "fraction", fraction,
                "must be > 0 for kind " + kind + ", e.g. 0.25");
        require(Double.isFinite(min), "min", min, "must be a finite number");
        require(max > min && Double.isFinite(max), "max", max, "must be a finite number > min = " + min);
    }

    /** No corruption; sigma 0.1, fraction 0.25, clipped to [0, 1] once a kind is chosen. */
    public static CorruptionConfig defaults() {
        return new CorruptionConfig("none", 0.1, 0.25, true, 0.0, 1.0);
    }

    /** Whether inputs are left as they are. */
    public boolean isNone() {
        return kind.equals("none");
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            String shown = value instanceof String || value == null ? "\"" + value + "\"" : String.valueOf(value);
            throw new IllegalArgumentException("corrupt." + key + " " + rule + ", got " + shown + FIX);
        }
    }
}
