package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ImageOpsTest {

    /** One RGB pixel per image: planes of length 1. */
    private static float[] rgb(float r, float g, float b) {
        return new float[] {r, g, b};
    }

    @Test
    void brightnessScalesAndClamps() {
        float[] img = {0.2f, 0.4f, 0.8f};
        ImageOps.brightness(img, 0, 1, 1, 3, 1.5f);
        assertArrayEquals(new float[] {0.3f, 0.6f, 1f}, img, 1e-6f);
    }

    @Test
    void contrastZeroLeavesTheMeanGrey() {
        float[] img = {0.1f, 0.5f, 0.9f, 0.3f};
        ImageOps.contrast(img, 0, 1, 2, 2, 0f);
        assertArrayEquals(new float[] {0.45f, 0.45f, 0.45f, 0.45f}, img, 1e-6f);
    }

    @Test
    void contrastBlendsWithTheMeanLumaOfAnRgbImage() {
        float[] img = {1f, 0f, 0f, 1f, 0f, 0f}; // two pixels: red, green
        float mean = (0.299f + 0.587f) / 2;
        ImageOps.contrast(img, 0, 3, 1, 2, 0.5f);
        assertArrayEquals(new float[] {0.5f + mean / 2, mean / 2, mean / 2, 0.5f + mean / 2, mean / 2, mean / 2}, img, 1e-6f);
    }

    @Test
    void saturationZeroGivesLumaGrey() {
        float[] img = rgb(0.9f, 0.3f, 0.1f);
        ImageOps.saturation(img, 0, 3, 1, 1, 0f);
        float luma = 0.299f * 0.9f + 0.587f * 0.3f + 0.114f * 0.1f;
        assertArrayEquals(new float[] {luma, luma, luma}, img, 1e-6f);
    }

    record HueCase(float[] in, float shift, float[] out) {
    }

    static List<HueCase> hueCases() {
        return List.of(
                new HueCase(rgb(1, 0, 0), 1 / 3f, rgb(0, 1, 0)),
                new HueCase(rgb(1, 0, 0), -1 / 3f, rgb(0, 0, 1)),
                new HueCase(rgb(1, 0, 0), 0.5f, rgb(0, 1, 1)),
                new HueCase(rgb(0.8f, 0.4f, 0.2f), 0f, rgb(0.8f, 0.4f, 0.2f)),
                new HueCase(rgb(0.5f, 0.5f, 0.5f), 0.25f, rgb(0.5f, 0.5f, 0.5f)));
    }

    @ParameterizedTest
    @MethodSource("hueCases")
    void hueRotatesAroundTheColourWheel(HueCase c) {
        float[] img = c.in().clone();
        ImageOps.hue(img, 0, 3, 1, 1, c.shift());
        assertArrayEquals(c.out(), img, 1e-6f);
    }

    @Test
    void hueKeepsValueAndSaturation() {
        float[] img = rgb(0.8f, 0.4f, 0.2f);
        ImageOps.hue(img, 0, 3, 1, 1, 0.17f);
        float max = Math.max(img[0], Math.max(img[1], img[2]));
        float min = Math.min(img[0], Math.min(img[1], img[2]));
        assertEquals(0.8f, max, 1e-6f);
        assertEquals(0.2f, min, 1e-6f);
    }

    @Test
    void colourOpsLeaveOneChannelImagesAlone() {
        float[] img = {0.1f, 0.7f};
        ImageOps.saturation(img, 0, 1, 1, 2, 0f);
        ImageOps.hue(img, 0, 1, 1, 2, 0.3f);
        ImageOps.grayscale(img, 0, 1, 1, 2);
        assertArrayEquals(new float[] {0.1f, 0.7f}, img);
    }

    @Test
    void flipReversesRowsOfEveryChannel() {
        float[] img = {1, 2, 3, 4, 5, 6};
        ImageOps.flipHorizontal(img, 0, 2, 1, 3);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, img);
    }

    @Test
    void blurSpreadsAnImpulseKeepingItsSum() {
        float[] img = new float[15 * 15];
        img[7 * 15 + 7] = 1f;
        ImageOps.gaussianBlur(img, 0, 1, 15, 15, 5, 1f, new float[15 * 15]);
        float sum = 0;
        for (float v : img) {
            sum += v;
        }
        assertEquals(1f, sum, 1e-5f);
        assertEquals(img[7 * 15 + 6], img[7 * 15 + 8], 1e-7f);
        assertEquals(img[6 * 15 + 7], img[7 * 15 + 6], 1e-7f);
        assertEquals(0f, img[7 * 15 + 10]);
    }

    @Test
    void reflectMirrorsWithoutRepeatingTheEdge() {
        assertEquals(List.of(2, 1, 0, 1, 2, 3, 4, 3, 2),
                java.util.stream.IntStream.rangeClosed(-2, 6).map(i -> ImageOps.reflect(i, 5)).boxed().toList());
    }

    record BlurCase(int height, int width, int kernelSize, float sigma) {
    }

    static List<BlurCase> blurCases() {
        return List.of(new BlurCase(15, 15, 5, 1f), new BlurCase(12, 4, 5, 0.7f), new BlurCase(9, 40, 9, 2f),
                new BlurCase(3, 3, 5, 1.5f));
    }

    /** The separable passes equal a direct 2-D convolution with the outer-product kernel and mirrored borders. */
    @ParameterizedTest
    @MethodSource("blurCases")
    void blurMatchesADirectTwoDimensionalConvolution(BlurCase c) {
        java.util.Random random = new java.util.Random(c.height() * 31 + c.width());
        int plane = c.height() * c.width();
        float[] img = new float[2 * plane + 3];
        for (int i = 0; i < img.length; i++) {
            img[i] = random.nextFloat();
        }
        int radius = c.kernelSize() / 2;
        double[] w = new double[c.kernelSize()];
        double sum = 0;
        for (int k = 0; k < w.length; k++) {
            w[k] = Math.exp(-0.5 * Math.pow((k - radius) / c.sigma(), 2));
            sum += w[k];
        }
        float[] expected = img.clone();
        for (int ch = 0; ch < 2; ch++) {
            for (int y = 0; y < c.height(); y++) {
                for (int x = 0; x < c.width(); x++) {
                    double acc = 0;
                    for (int i = 0; i < w.length; i++) {
                        for (int j = 0; j < w.length; j++) {
                            int yy = ImageOps.reflect(y + i - radius, c.height());
                            int xx = ImageOps.reflect(x + j - radius, c.width());
                            acc += w[i] * w[j] / (sum * sum) * img[3 + ch * plane + yy * c.width() + xx];
                        }
                    }
                    expected[3 + ch * plane + y * c.width() + x] = (float) acc;
                }
            }
        }
        ImageOps.gaussianBlur(img, 3, 2, c.height(), c.width(), c.kernelSize(), c.sigma(), new float[plane]);
        assertArrayEquals(expected, img, 1e-5f);
    }
}
