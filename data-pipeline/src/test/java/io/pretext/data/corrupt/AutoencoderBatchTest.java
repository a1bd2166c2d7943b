package io.pretext.data.corrupt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pretext.data.features.FeatureRecord;
import io.pretext.data.features.FeatureStats;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.ImageTensors;
import io.pretext.data.image.TestImages;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AutoencoderBatchTest {

    private static final Corruption NONE = new Corruption(CorruptionConfig.defaults());
    private static final Corruption MASKING = new Corruption(new CorruptionConfig("masking", 0.1, 0.3, true, 0, 1));

    private static List<ImageRecord> fashion(int n) {
        byte[][] pixels = TestImages.fashionImages(n);
        List<ImageRecord> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(new ImageRecord("t10k/" + i, null, 1, 28, 28, pixels[i]));
        }
        return images;
    }

    @Test
    void cleanImagesAreInputAndTarget() {
        List<ImageRecord> images = fashion(4);

        AutoencoderBatch batch = AutoencoderBatch.ofImages(images, NONE, 1, 0);

        assertArrayEquals(new long[] {4, 1, 28, 28}, batch.target().shape());
        assertEquals(ImageTensors.features(images), batch.target());
        assertSame(batch.target(), batch.input());
    }

    @Test
    void denoisingImageBatchCorruptsTheInputByRecordId() {
        List<ImageRecord> images = fashion(3);

        AutoencoderBatch batch = AutoencoderBatch.ofImages(images, MASKING, 7, 2);

        INDArray clean = ImageTensors.features(images);
        assertEquals(clean, batch.target());
        assertNotEquals(clean, batch.input());
        assertEquals(MASKING.corrupt(clean, List.of("t10k/0", "t10k/1", "t10k/2"), 7, 2), batch.input());
        assertEquals(batch.input(), AutoencoderBatch.ofImages(images, MASKING, 7, 2).input());
        assertNotEquals(batch.input(), AutoencoderBatch.ofImages(images, MASKING, 7, 3).input());
    }

    @Test
    void featureBatchIsStandardisedAndCorrupted() {
        FeatureStats stats = new FeatureStats(List.of("a", "b", "c", "d"), new double[] {1, 1, 1, 1},
                new double[] {2, 2, 2, 2}, new long[] {5, 5, 5, 5}, 1e-6);
        List<FeatureRecord> rows = List.of(new FeatureRecord("x", null, new float[] {3, 5, 1, -1}),
                new FeatureRecord("y", "anomaly", new float[] {1, 1, 1, 1}));
        Corruption half = new Corruption(new CorruptionConfig("masking", 0.1, 0.5, false, -10, 10));

        AutoencoderBatch batch = AutoencoderBatch.ofFeatures(rows, stats, half, 3, 0);

        assertEquals(Nd4j.create(new float[][] {{1, 2, 0, -1}, {0, 0, 0, 0}}), batch.target());
        assertEquals(DataType.FLOAT, batch.input().dataType());
        assertEquals(half.corrupt(batch.target(), List.of("x", "y"), 3, 0), batch.input());
    }

    @Test
    void inputAndTargetMustShareAShape() {
        assertThrows(IllegalArgumentException.class,
                () -> new AutoencoderBatch(Nd4j.zeros(2, 3), Nd4j.zeros(2, 4)));
    }
}
