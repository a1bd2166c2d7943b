package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SimClrAugmentConfigTest {

    @Test
    void defaultsAreTheSimClrSettings() {
        SimClrAugmentConfig d = SimClrAugmentConfig.defaults();
        assertEquals(List.of(0.08, 1.0, 0.75, 4 / 3.0), List.of(d.cropScaleMin(), d.cropScaleMax(), d.cropRatioMin(), d.cropRatioMax()));
        assertEquals(List.of(0.5, 0.8, 0.4, 0.4, 0.4, 0.1, 0.2), List.of(d.flipProbability(), d.jitterProbability(),
                d.brightness(), d.contrast(), d.saturation(), d.hue(), d.grayscaleProbability()));
        assertEquals("auto", d.blur());
        assertEquals(List.of(0.5, 0.1, 2.0), List.of(d.blurProbability(), d.blurSigmaMin(), d.blurSigmaMax()));
    }

    record Case(String name, UnaryOperator<Object[]> change, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Object[] fields(SimClrAugmentConfig c) {
        return new Object[] {c.cropScaleMin(), c.cropScaleMax(), c.cropRatioMin(), c.cropRatioMax(), c.flipProbability(),
                c.jitterProbability(), c.brightness(), c.contrast(), c.saturation(), c.hue(), c.grayscaleProbability(),
                c.blur(), c.blurProbability(), c.blurSigmaMin(), c.blurSigmaMax()};
    }

    private static SimClrAugmentConfig build(Object[] f) {
        return new SimClrAugmentConfig((double) f[0], (double) f[1], (double) f[2], (double) f[3], (double) f[4],
                (double) f[5], (double) f[6], (double) f[7], (double) f[8], (double) f[9], (double) f[10], (String) f[11],
                (double) f[12], (double) f[13], (double) f[14]);
    }

    private static UnaryOperator<Object[]> set(int index, Object value) {
        return f -> {
            f[index] = value;
            return f;
        };
    }

    static List<Case> invalid() {
        String fix = " (set it in the augment: section)";
        return List.of(
                new Case("cropScaleMin 0", set(0, 0.0), "augment.cropScaleMin must be in (0, 1], got 0.0" + fix),
                new Case("cropScaleMax below min", set(1, 0.05), "augment.cropScaleMax must be in [cropScaleMin, 1] = [0.08, 1], got 0.05" + fix),
                new Case("cropRatioMin -1", set(2, -1.0), "augment.cropRatioMin must be > 0, got -1.0" + fix),
                new Case("cropRatioMax below min", set(3, 0.5), "augment.cropRatioMax must be >= cropRatioMin = 0.75, got 0.5" + fix),
                new Case("flipProbability 1.5", set(4, 1.5), "augment.flipProbability must be a probability in [0, 1], got 1.5" + fix),
                new Case("jitterProbability -0.1", set(5, -0.1), "augment.jitterProbability must be a probability in [0, 1], got -0.1" + fix),
                new Case("brightness -0.4", set(6, -0.4), "augment.brightness must be >= 0, got -0.4" + fix),
                new Case("contrast NaN", set(7, Double.NaN), "augment.contrast must be >= 0, got NaN" + fix),
                new Case("saturation -1", set(8, -1.0), "augment.saturation must be >= 0, got -1.0" + fix),
                new Case("hue 0.6", set(9, 0.6), "augment.hue must be in [0, 0.5], got 0.6" + fix),
                new Case("grayscaleProbability 2", set(10, 2.0), "augment.grayscaleProbability must be a probability in [0, 1], got 2.0" + fix),
                new Case("blur maybe", set(11, "maybe"), "augment.blur must be one of [auto, on, off], got \"maybe\"" + fix),
                new Case("blurProbability -1", set(12, -1.0), "augment.blurProbability must be a probability in [0, 1], got -1.0" + fix),
                new Case("blurSigmaMin 0", set(13, 0.0), "augment.blurSigmaMin must be > 0, got 0.0" + fix),
                new Case("blurSigmaMax below min", set(14, 0.05), "augment.blurSigmaMax must be >= blurSigmaMin = 0.1, got 0.05" + fix));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidValueIsRejectedNamingKeyValueRuleAndFix(Case c) {
        Object[] f = c.change().apply(fields(SimClrAugmentConfig.defaults()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(f));
        assertEquals(c.message(), e.getMessage());
    }

    @Test
    void blurModesDecideByViewSide() {
        SimClrAugmentConfig d = SimClrAugmentConfig.defaults();
        SimClrAugmentConfig on = new SimClrAugmentConfig(0.08, 1, 0.75, 4 / 3.0, 0.5, 0.8, 0.4, 0.4, 0.4, 0.1, 0.2, "on", 0.5, 0.1, 2);
        SimClrAugmentConfig off = new SimClrAugmentConfig(0.08, 1, 0.75, 4 / 3.0, 0.5, 0.8, 0.4, 0.4, 0.4, 0.1, 0.2, "off", 0.5, 0.1, 2);
        assertEquals(List.of(false, true, true, true, false, false),
                List.of(d.blurs(63, 96), d.blurs(64, 64), on.blurs(32, 32), on.blurs(96, 96), off.blurs(96, 96), off.blurs(32, 32)));
    }

    @Test
    void roundTripsThroughJacksonUnderItsKeyNames() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        String json = mapper.writeValueAsString(SimClrAugmentConfig.defaults());
        assertEquals(SimClrAugmentConfig.defaults(), mapper.readValue(json, SimClrAugmentConfig.class));
        java.util.List<String> keys = new java.util.ArrayList<>();
        mapper.readTree(json).fieldNames().forEachRemaining(keys::add);
        assertEquals(java.util.Arrays.stream(SimClrAugmentConfig.class.getRecordComponents()).map(c -> c.getName()).sorted().toList(),
                keys.stream().sorted().toList());
    }
}
