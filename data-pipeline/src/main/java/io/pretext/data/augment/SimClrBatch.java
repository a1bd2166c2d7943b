package io.pretext.data.augment;

import io.pretext.data.image.ImageRecord;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SimCLR minibatches: two views of every image, stacked for an NT-Xent loss over 2N rows. */
public final class SimClrBatch {

    private SimClrBatch() {
    }

    /**
     * Two views of each image as float {@code [2N, C, H, W]} in [0, 1]: rows {@code 0..N-1} are view 0
     * of images {@code 0..N-1}, rows {@code N..2N-1} view 1 in the same order, so row {@code i} and row
     * {@code i + N} are a positive pair.
     */
    public static INDArray twoViews(List<ImageRecord> images, SimClrAugmenter aug, long seed, int epoch) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a SimCLR batch needs at least one image");
        }
        int n = images.size();
        int size = aug.viewSize();
        float[] data = new float[Math.multiplyExact(2 * n, size)];
        for (int i = 0; i < n; i++) {
            ImageRecord image = images.get(i);
            aug.view(image, SimClrAugmenter.viewSeed(seed, epoch, image.id(), 0), data, i * size);
            aug.view(image, SimClrAugmenter.viewSeed(seed, epoch, image.id(), 1), data, (n + i) * size);
        }
        return Nd4j.create(data, new long[] {2L * n, aug.channels(), aug.height(), aug.width()}, DataType.FLOAT);
    }
}
