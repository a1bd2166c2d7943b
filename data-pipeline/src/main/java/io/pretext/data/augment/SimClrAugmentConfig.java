package io.pretext.data.augment;

import java.io.Serializable;
import java.util.List;

/**
 * SimCLR view augmentation. YAML section {@code augment:}. Defaults are the SimCLR paper's
 * (Chen et al. 2020, appendix A): random resized crop (scale 0.08..1, ratio 3/4..4/3), horizontal
 * flip 0.5, colour jitter 0.8 with strength 0.4/0.4/0.4/0.1, grayscale 0.2, Gaussian blur 0.5 with
 * sigma 0.1..2 and a kernel of ~10% of the image side.
 *
 * @param cropScaleMin         smallest crop area as a fraction of the image area
 * @param cropScaleMax         largest crop area fraction
 * @param cropRatioMin         smallest crop aspect ratio (width / height)
 * @param cropRatioMax         largest crop aspect ratio
 * @param flipProbability      probability of a horizontal flip
 * @param jitterProbability    probability of applying colour jitter
 * @param brightness           brightness factor drawn from [max(0, 1-b), 1+b]
 * @param contrast             contrast factor drawn from [max(0, 1-c), 1+c]
 * @param saturation           saturation factor drawn from [max(0, 1-s), 1+s]
 * @param hue                  hue shift drawn from [-hue, hue] (fraction of the colour wheel, <= 0.5)
 * @param grayscaleProbability probability of converting to grey
 * @param blur                 {@code auto} (on when the output side is >= 64 px), {@code on} or {@code off}
 * @param blurProbability      probability of blurring when blur is on
 * @param blurSigmaMin         smallest Gaussian sigma in pixels
 * @param blurSigmaMax         largest Gaussian sigma in pixels
 */
public record SimClrAugmentConfig(
        double cropScaleMin,
        double cropScaleMax,
        double cropRatioMin,
        double cropRatioMax,
        double flipProbability,
        double jitterProbability,
        double brightness,
        double contrast,
        double saturation,
        double hue,
        double grayscaleProbability,
        String blur,
        double blurProbability,
        double blurSigmaMin,
        double blurSigmaMax) implements Serializable {

    public static final List<String> BLUR_MODES = List.of("auto", "on", "off");
    /** Output side from which {@code blur: auto} blurs (SimCLR blurs ImageNet-size views, not CIFAR-size ones). */
    public static final int AUTO_BLUR_MIN_SIDE = 64;
    private static final String FIX = " (set it in the augment: section)";

    public SimClrAugmentConfig {
        require(cropScaleMin > 0 && cropScaleMin <= 1, "cropScaleMin", cropScaleMin, "must be in (0, 1]");
        require(cropScaleMax >= cropScaleMin && cropScaleMax <= 1, "cropScaleMax", cropScaleMax,
                "must be in [cropScaleMin, 1] = [" + cropScaleMin + ", 1]");
        require(cropRatioMin > 0 && Double.isFinite(cropRatioMin), "cropRatioMin", cropRatioMin, "must be > 0");
        require(cropRatioMax >= cropRatioMin && Double.isFinite(cropRatioMax), "cropRatioMax", cropRatioMax,
                "must be >= cropRatioMin = " + cropRatioMin);
        requireProbability(flipProbability, "flipProbability");
        requireProbability(jitterProbability, "jitterProbability");
        require(brightness >= 0 && Double.isFinite(brightness), "brightness", brightness, "must be >= 0");
        require(contrast >= 0 && Double.isFinite(contrast), "contrast", contrast, "must be >= 0");
        require(saturation >= 0 && Double.isFinite(saturation), "saturation", saturation, "must be >= 0");
        require(hue >= 0 && hue <= 0.5, "hue", hue, "must be in [0, 0.5]");
        requireProbability(grayscaleProbability, "grayscaleProbability");
        require(BLUR_MODES.contains(blur), "blur", blur, "must be one of " + BLUR_MODES);
        requireProbability(blurProbability, "blurProbability");
        require(blurSigmaMin > 0 && Double.isFinite(blurSigmaMin), "blurSigmaMin", blurSigmaMin, "must be > 0");
        require(blurSigmaMax >= blurSigmaMin && Double.isFinite(blurSigmaMax), "blurSigmaMax", blurSigmaMax,
                "must be >= blurSigmaMin = " + blurSigmaMin);
    }

    public static SimClrAugmentConfig defaults() {
        return new SimClrAugmentConfig(0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, 0.5, 0.8, 0.4, 0.4, 0.4, 0.1, 0.2,
                "auto", 0.5, 0.1, 2.0);
    }

    /** No augmentation at all: whole-image crop at ratio 1, no flip, jitter, grey or blur. */
    public static SimClrAugmentConfig none() {
        return new SimClrAugmentConfig(1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, "off", 0, 0.1, 0.1);
    }

    /** Whether views of {@code height x width} are blurred. */
    public boolean blurs(int height, int width) {
        return switch (blur) {
            case "on" -> blurProbability > 0;
            case "off" -> false;
            default -> blurProbability > 0 && Math.min(height, width) >= AUTO_BLUR_MIN_SIDE;
        };
    }

    private static void requireProbability(double p, String key) {
        require(p >= 0 && p <= 1, key, p, "must be a probability in [0, 1]");
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            String shown = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
            throw new IllegalArgumentException("augment." + key + " " + rule + ", got " + shown + FIX);
        }
    }
}
