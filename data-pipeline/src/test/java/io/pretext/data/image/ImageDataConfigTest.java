package io.pretext.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ImageDataConfigTest {

    @Test
    void defaultsAreValidAndDocumented() {
        ImageDataConfig d = ImageDataConfig.defaults();
        assertEquals(List.of(3, 32, 32), List.of(d.channels(), d.height(), d.width()));
        assertEquals("center-crop", d.resize());
        assertEquals(8, d.minSourceSize());
        assertEquals(64L << 20, d.maxFileBytes());
        assertEquals("auto", d.format());
        assertEquals(100, d.rejectSampleSize());
    }

    record Case(String name, UnaryOperator<Object[]> change, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Object[] fields(ImageDataConfig c) {
        return new Object[] {c.channels(), c.height(), c.width(), c.resize(), c.minSourceSize(), c.maxFileBytes(),
                c.maxSourcePixels(), c.format(), c.imageColumn(), c.labelColumn(), c.idColumn(), c.partitions(),
                c.rejectSampleSize()};
    }

    private static ImageDataConfig build(Object[] f) {
        return new ImageDataConfig((int) f[0], (int) f[1], (int) f[2], (String) f[3], (int) f[4], (long) f[5],
                (long) f[6], (String) f[7], (String) f[8], (String) f[9], (String) f[10], (int) f[11], (int) f[12]);
    }

    private static UnaryOperator<Object[]> set(int index, Object value) {
        return f -> {
            f[index] = value;
            return f;
        };
    }

    static List<Case> invalid() {
        String fix = " (set it in the data: section)";
        return List.of(
                new Case("channels 4", set(0, 4), "data.channels must be 1 or 3, got 4" + fix),
                new Case("height 0", set(1, 0), "data.height must be >= 1, got 0" + fix),
                new Case("width -3", set(2, -3), "data.width must be >= 1, got -3" + fix),
                new Case("resize fit", set(3, "fit"), "data.resize must be one of [center-crop, stretch], got \"fit\"" + fix),
                new Case("minSourceSize 0", set(4, 0), "data.minSourceSize must be >= 1, got 0" + fix),
                new Case("maxFileBytes 0", set(5, 0L), "data.maxFileBytes must be >= 1, got 0" + fix),
                new Case("maxSourcePixels 10", set(6, 10L), "data.maxSourcePixels must be >= minSourceSize^2 = 64, got 10" + fix),
                new Case("format jpeg", set(7, "jpeg"), "data.format must be one of [auto, folder, parquet, idx], got \"jpeg\"" + fix),
                new Case("imageColumn blank", set(8, " "), "data.imageColumn must be a non-blank column name, got \" \"" + fix),
                new Case("labelColumn null", set(9, null), "data.labelColumn must be a non-blank column name, got null" + fix),
                new Case("idColumn empty", set(10, ""), "data.idColumn must be a non-blank column name, got \"\"" + fix),
                new Case("partitions -1", set(11, -1), "data.partitions must be >= 0 (0 = chosen from the input size), got -1" + fix),
                new Case("rejectSampleSize -5", set(12, -5), "data.rejectSampleSize must be >= 0, got -5" + fix));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidValueIsRejectedNamingKeyValueRuleAndFix(Case c) {
        Object[] f = c.change().apply(fields(ImageDataConfig.defaults()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(f));
        assertEquals(c.message(), e.getMessage());
    }

    @Test
    void withImageSizeChangesOnlyTheSize() {
        ImageDataConfig c = ImageDataConfig.defaults().withImageSize(1, 28, 20);
        assertEquals(List.of(1, 28, 20), List.of(c.channels(), c.height(), c.width()));
        assertEquals(ImageDataConfig.defaults().withImageSize(3, 32, 32), ImageDataConfig.defaults());
    }

    @Test
    void roundTripsThroughJacksonUnderItsKeyNames() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        String json = mapper.writeValueAsString(ImageDataConfig.defaults());
        assertEquals(ImageDataConfig.defaults(), mapper.readValue(json, ImageDataConfig.class));
        java.util.List<String> keys = new java.util.ArrayList<>();
        mapper.readTree(json).fieldNames().forEachRemaining(keys::add);
        assertEquals(java.util.Arrays.stream(ImageDataConfig.class.getRecordComponents()).map(c -> c.getName()).sorted().toList(),
                keys.stream().sorted().toList());
    }
}
