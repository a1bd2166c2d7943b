package io.pretext.data.image;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Decoded images as ND4J tensors, without augmentation (evaluation and embedding). */
public final class ImageTensors {

    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            UNIT[i] = i / 255f;
        }
    }

    private ImageTensors() {
    }

    /** Float {@code [N, C, H, W]} with samples scaled to [0, 1]; all images must share one shape. */
    public static INDArray features(List<ImageRecord> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("features need at least one image");
        }
        ImageRecord first = images.get(0);
        int size = first.pixels().length;
        float[] data = new float[Math.multiplyExact(images.size(), size)];
        for (int i = 0; i < images.size(); i++) {
            ImageRecord image = images.get(i);
            if (image.channels() != first.channels() || image.height() != first.height() || image.width() != first.width()) {
                throw new IllegalArgumentException("image " + image.id() + " is " + image.channels() + "x" + image.height()
                        + "x" + image.width() + ", the batch is " + first.channels() + "x" + first.height() + "x" + first.width()
                        + " (decode every image with the same data.channels, data.height and data.width)");
            }
            byte[] pixels = image.pixels();
            int base = i * size;
            for (int j = 0; j < size; j++) {
                data[base + j] = UNIT[pixels[j] & 0xFF];
            }
        }
        return Nd4j.create(data, new long[] {images.size(), first.channels(), first.height(), first.width()},
                DataType.FLOAT);
    }
}
