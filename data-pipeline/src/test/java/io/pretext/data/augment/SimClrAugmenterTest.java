package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.image.ImageDataConfig;
import io.pretext.data.image.ImageDecoder;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.TestImages;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SimClrAugmenterTest {

    private static final ImageRecord PHOTO_32 = photo(32);
    private static final ImageRecord PHOTO_96 = photo(96);

    private static ImageRecord photo(int side) {
        byte[] png = TestImages.encode(TestImages.photoLike(side, side), "png");
        return (ImageRecord) new ImageDecoder(ImageDataConfig.defaults().withImageSize(3, side, side))
                .decode("photo" + side + ".png", null, png);
    }

    /** A 3-channel image whose samples are {@code f(c, y, x)}. */
    private static ImageRecord image(int height, int width, Sample f) {
        byte[] pixels = new byte[3 * height * width];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    pixels[(c * height + y) * width + x] = (byte) f.at(c, y, x);
                }
            }
        }
        return new ImageRecord("img", null, 3, height, width, pixels);
    }

    interface Sample {
        int at(int c, int y, int x);
    }

    private static float[] view(SimClrAugmentConfig config, ImageRecord image, int height, int width, long seed) {
        SimClrAugmenter aug = new SimClrAugmenter(config, image.channels(), height, width);
        float[] out = new float[aug.viewSize()];
        aug.view(image, seed, out, 0);
        return out;
    }

    private static SimClrAugmentConfig noneWith(double flip, double grey, String blur, double blurP) {
        return new SimClrAugmentConfig(1, 1, 1, 1, flip, 0, 0, 0, 0, 0, grey, blur, blurP, 0.1, 2.0);
    }

    @Test
    void sameSeedGivesIdenticalViews() {
        SimClrAugmenter aug = new SimClrAugmenter(SimClrAugmentConfig.defaults(), 3, 32, 32);
        float[] a = new float[aug.viewSize()];
        float[] b = new float[aug.viewSize()];
        aug.view(PHOTO_32, 1234L, a, 0);
        aug.view(PHOTO_96, 99L, b, 0); // something else in between must not matter
        aug.view(PHOTO_32, 1234L, b, 0);
        assertArrayEquals(a, b);
        assertArrayEquals(a, view(SimClrAugmentConfig.defaults(), PHOTO_32, 32, 32, 1234L));
    }

    @Test
    void otherSeedGivesDifferentViews() {
        Set<String> distinct = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            distinct.add(Arrays.toString(view(SimClrAugmentConfig.defaults(), PHOTO_32, 32, 32, seed)));
        }
        assertEquals(20, distinct.size());
    }

    @Test
    void viewSeedsDifferByEpochViewRecordAndSeed() {
        long base = SimClrAugmenter.viewSeed(7, 0, "a.png", 0);
        assertEquals(base, SimClrAugmenter.viewSeed(7, 0, "a.png", 0));
        Set<Long> seeds = Set.of(base, SimClrAugmenter.viewSeed(7, 1, "a.png", 0), SimClrAugmenter.viewSeed(7, 0, "a.png", 1),
                SimClrAugmenter.viewSeed(7, 0, "b.png", 0), SimClrAugmenter.viewSeed(8, 0, "a.png", 0));
        assertEquals(5, seeds.size());
    }

    @Test
    void differentEpochsGiveDifferentViews() {
        float[] epoch0 = view(SimClrAugmentConfig.defaults(), PHOTO_32, 32, 32, SimClrAugmenter.viewSeed(7, 0, PHOTO_32.id(), 0));
        float[] epoch1 = view(SimClrAugmentConfig.defaults(), PHOTO_32, 32, 32, SimClrAugmenter.viewSeed(7, 1, PHOTO_32.id(), 0));
        assertFalse(Arrays.equals(epoch0, epoch1));
    }

    @Test
    void viewsFillExactlyTheirSliceWithValuesInUnitRange() {
        SimClrAugmenter aug = new SimClrAugmenter(SimClrAugmentConfig.defaults(), 3, 96, 96);
        int size = aug.viewSize();
        assertEquals(3 * 96 * 96, size);
        float[] out = new float[size + 20];
        for (long seed = 0; seed < 50; seed++) {
            Arrays.fill(out, -7f);
            aug.view(PHOTO_96, seed, out, 10);
            for (int i = 0; i < out.length; i++) {
                boolean inside = i >= 10 && i < 10 + size;
                if (inside) {
                    assertTrue(out[i] >= 0f && out[i] <= 1f, "value " + out[i] + " at " + i + " seed " + seed);
                } else {
                    assertEquals(-7f, out[i], "wrote outside its slice at " + i);
                }
            }
        }
    }

    @Test
    void wholeImageCropOfASquareImageIsTheIdentity() {
        float[] out = view(SimClrAugmentConfig.none(), PHOTO_32, 32, 32, 5);
        for (int i = 0; i < out.length; i++) {
            assertEquals((PHOTO_32.pixels()[i] & 0xFF) / 255f, out[i], 1e-6f);
        }
    }

    @Test
    void wholeImageCropResizesToTheViewSize() {
        ImageRecord constant = image(64, 64, (c, y, x) -> 40 * (c + 1));
        float[] out = view(SimClrAugmentConfig.none(), constant, 24, 24, 5);
        for (int i = 0; i < out.length; i++) {
            assertEquals(40 * (i / (24 * 24) + 1) / 255f, out[i], 1e-5f);
        }
    }

    @Test
    void fallsBackToACentreCropWhenNoTryFits() {
        // ratio 4 at scale 1 never fits a square: torchvision then crops the centre at the nearest ratio
        SimClrAugmentConfig wide = new SimClrAugmentConfig(1, 1, 4, 4, 0, 0, 0, 0, 0, 0, 0, "off", 0, 0.1, 0.1);
        ImageRecord rows = image(40, 40, (c, y, x) -> y * 5);
        float[] out = view(wide, rows, 10, 40, 3);
        for (int y = 0; y < 10; y++) {
            assertEquals((15 + y) * 5 / 255f, out[y * 40 + 7], 1e-6f, "row " + y);
        }
    }

    @Test
    void cropsVaryInScaleAcrossSeeds() {
        ImageRecord gradient = image(64, 64, (c, y, x) -> x * 4);
        double minSpread = 1;
        double maxSpread = 0;
        for (long seed = 0; seed < 200; seed++) {
            float[] out = view(new SimClrAugmentConfig(0.08, 1, 0.75, 4 / 3.0, 0, 0, 0, 0, 0, 0, 0, "off", 0, 0.1, 0.1),
                    gradient, 32, 32, seed);
            double spread = out[31] - out[0]; // horizontal extent of the crop, as a fraction of the gradient
            minSpread = Math.min(minSpread, spread);
            maxSpread = Math.max(maxSpread, spread);
        }
        assertTrue(minSpread < 0.35 && maxSpread > 0.9, "crop widths from " + minSpread + " to " + maxSpread);
    }

    @Test
    void flipMirrorsEveryRow() {
        float[] out = view(noneWith(1, 0, "off", 0), PHOTO_32, 32, 32, 11);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertEquals(PHOTO_32.sample(c, y, 31 - x) / 255f, out[(c * 32 + y) * 32 + x], 1e-6f);
                }
            }
        }
    }

    @Test
    void grayscaleGivesEqualChannelsOfLuma() {
        float[] out = view(noneWith(0, 1, "off", 0), PHOTO_32, 32, 32, 11);
        int plane = 32 * 32;
        for (int i = 0; i < plane; i++) {
            byte[] px = PHOTO_32.pixels();
            float luma = (0.299f * (px[i] & 0xFF) + 0.587f * (px[plane + i] & 0xFF) + 0.114f * (px[2 * plane + i] & 0xFF)) / 255f;
            assertEquals(luma, out[i], 1e-5f);
            assertEquals(out[i], out[plane + i]);
            assertEquals(out[i], out[2 * plane + i]);
        }
    }

    @Test
    void blurKeepsAConstantImageConstant() {
        ImageRecord constant = image(96, 96, (c, y, x) -> 77);
        float[] out = view(noneWith(0, 0, "on", 1), constant, 96, 96, 4);
        for (float v : out) {
            assertEquals(77 / 255f, v, 1e-5f);
        }
    }

    @Test
    void blurSpreadsAnEdge() {
        ImageRecord edge = image(96, 96, (c, y, x) -> x < 48 ? 0 : 255);
        float[] sharp = view(SimClrAugmentConfig.none(), edge, 96, 96, 4);
        float[] blurred = view(noneWith(0, 0, "on", 1), edge, 96, 96, 4);
        assertEquals(0f, sharp[10 * 96 + 47]);
        assertTrue(blurred[10 * 96 + 47] > 0.01f && blurred[10 * 96 + 48] < 0.99f,
                "edge after blur: " + blurred[10 * 96 + 47] + ", " + blurred[10 * 96 + 48]);
    }

    @Test
    void autoBlurIsOnlyForViewsOfAtLeast64Pixels() {
        SimClrAugmentConfig auto = SimClrAugmentConfig.defaults();
        assertFalse(auto.blurs(32, 32));
        assertTrue(auto.blurs(64, 96));
        ImageRecord edge = image(32, 32, (c, y, x) -> x < 16 ? 0 : 255);
        float[] out = view(noneWith(0, 0, "auto", 1), edge, 32, 32, 4);
        assertEquals(0f, out[5 * 32 + 15]);
        assertEquals(1f, out[5 * 32 + 16]);
    }

    @Test
    void blurKernelIsAboutATenthOfTheSideAndOdd() {
        assertEquals(9, ImageOps.blurKernelSize(96));
        assertEquals(23, ImageOps.blurKernelSize(224));
        assertEquals(3, ImageOps.blurKernelSize(16));
    }

    @Test
    void imageWithOtherChannelsIsRejected() {
        SimClrAugmenter aug = new SimClrAugmenter(SimClrAugmentConfig.defaults(), 1, 28, 28);
        assertThrows(IllegalArgumentException.class, () -> aug.view(PHOTO_32, 1, new float[aug.viewSize()], 0));
    }

    @Test
    void greyViewsStayGreyAndInRange() {
        ImageRecord grey = new ImageRecord("g", null, 1, 28, 28, TestImages.fashionImages(1)[0]);
        SimClrAugmenter aug = new SimClrAugmenter(SimClrAugmentConfig.defaults(), 1, 28, 28);
        float[] out = new float[aug.viewSize()];
        for (long seed = 0; seed < 50; seed++) {
            aug.view(grey, seed, out, 0);
            for (float v : out) {
                assertTrue(v >= 0f && v <= 1f);
            }
        }
    }

    record Frequency(String name, SimClrAugmentConfig config, java.util.function.Predicate<float[]> applied, double p) {
        @Override
        public String toString() {
            return name;
        }
    }

    static java.util.List<Frequency> frequencies() {
        int plane = 32 * 32;
        java.util.function.Predicate<float[]> grey = v -> {
            for (int i = 0; i < plane; i++) {
                if (v[i] != v[plane + i] || v[i] != v[2 * plane + i]) {
                    return false;
                }
            }
            return true;
        };
        // photo-like image: red grows to the right, so a flip puts the brighter red on the left
        java.util.function.Predicate<float[]> flipped = v -> v[16 * 32] > v[16 * 32 + 31];
        return java.util.List.of(
                new Frequency("grayscale 0.2", SimClrAugmentConfig.defaults(), grey, 0.2),
                new Frequency("flip 0.5", noneWith(0.5, 0, "off", 0), flipped, 0.5),
                new Frequency("flip 0.1", noneWith(0.1, 0, "off", 0), flipped, 0.1));
    }

    @ParameterizedTest
    @MethodSource("frequencies")
    void randomStepsApplyAtTheirConfiguredRate(Frequency f) {
        SimClrAugmenter aug = new SimClrAugmenter(f.config(), 3, 32, 32);
        float[] out = new float[aug.viewSize()];
        int n = 4000;
        int applied = 0;
        for (int k = 0; k < n; k++) {
            aug.view(PHOTO_32, SimClrAugmenter.viewSeed(3, 0, PHOTO_32.id(), k), out, 0);
            applied += f.applied().test(out) ? 1 : 0;
        }
        // 4.5 binomial standard deviations
        assertEquals(f.p(), applied / (double) n, 4.5 * Math.sqrt(f.p() * (1 - f.p()) / n));
    }
}
