package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.TestImages;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SimClrBatchTest {

    private static final List<ImageRecord> IMAGES = fashion(5);

    private static List<ImageRecord> fashion(int n) {
        byte[][] pixels = TestImages.fashionImages(n);
        List<ImageRecord> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(new ImageRecord("f" + i, null, 1, 28, 28, pixels[i]));
        }
        return images;
    }

    @Test
    void twoViewsAreStackedAsViewZeroThenViewOneInImageOrder() {
        SimClrAugmenter aug = new SimClrAugmenter(SimClrAugmentConfig.defaults(), 1, 24, 24);
        INDArray batch = SimClrBatch.twoViews(IMAGES, aug, 42, 3);
        assertArrayEquals(new long[] {10, 1, 24, 24}, batch.shape());
        assertEquals(DataType.FLOAT, batch.dataType());
        float[] flat = batch.data().asFloat();
        int size = aug.viewSize();
        for (int i = 0; i < IMAGES.size(); i++) {
            for (int view = 0; view < 2; view++) {
                float[] expected = new float[size];
                aug.view(IMAGES.get(i), SimClrAugmenter.viewSeed(42, 3, "f" + i, view), expected, 0);
                float[] row = java.util.Arrays.copyOfRange(flat, (view * IMAGES.size() + i) * size,
                        (view * IMAGES.size() + i + 1) * size);
                assertArrayEquals(expected, row, "image " + i + " view " + view);
            }
        }
    }

    @Test
    void batchValuesAreInUnitRange() {
        SimClrAugmenter aug = new SimClrAugmenter(SimClrAugmentConfig.defaults(), 1, 28, 28);
        INDArray batch = SimClrBatch.twoViews(IMAGES, aug, 1, 0);
        assertTrue(batch.minNumber().floatValue() >= 0f);
        assertTrue(batch.maxNumber().floatValue() <= 1f);
    }

    @Test
    void batchesRepeatForTheSameSeedAndEpochOnly() {
        SimClrAugmenter aug = new SimClrAugmenter(SimClrAugmentConfig.defaults(), 1, 28, 28);
        INDArray a = SimClrBatch.twoViews(IMAGES, aug, 9, 1);
        assertEquals(a, SimClrBatch.twoViews(IMAGES, new SimClrAugmenter(SimClrAugmentConfig.defaults(), 1, 28, 28), 9, 1));
        assertNotEquals(a, SimClrBatch.twoViews(IMAGES, aug, 9, 2));
        assertNotEquals(a, SimClrBatch.twoViews(IMAGES, aug, 10, 1));
    }
}
