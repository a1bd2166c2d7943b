package io.pretext.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageTensorsTest {

    @Test
    void featuresAreNchwSamplesOver255() {
        byte[][] pixels = TestImages.fashionImages(3);
        List<ImageRecord> images = List.of(new ImageRecord("a", "9", 1, 28, 28, pixels[0]),
                new ImageRecord("b", "2", 1, 28, 28, pixels[1]), new ImageRecord("c", "1", 1, 28, 28, pixels[2]));
        INDArray features = ImageTensors.features(images);
        assertArrayEquals(new long[] {3, 1, 28, 28}, features.shape());
        assertEquals(DataType.FLOAT, features.dataType());
        for (int i = 0; i < 3; i++) {
            for (int y = 0; y < 28; y += 9) {
                for (int x = 0; x < 28; x += 5) {
                    assertEquals((pixels[i][y * 28 + x] & 0xFF) / 255f, features.getFloat(i, 0, y, x), 1e-7f);
                }
            }
        }
    }

    @Test
    void rgbPlanesKeepTheirChannelOrder() {
        byte[] px = new byte[3 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 20);
        }
        INDArray features = ImageTensors.features(List.of(new ImageRecord("a", null, 3, 2, 2, px)));
        assertEquals(20 * 5 / 255f, features.getFloat(0, 1, 0, 1), 1e-7f);
        assertEquals(20 * 11 / 255f, features.getFloat(0, 2, 1, 1), 1e-7f);
    }

    @Test
    void mixedShapesAreRejected() {
        List<ImageRecord> mixed = List.of(new ImageRecord("a", null, 1, 2, 2, new byte[4]),
                new ImageRecord("b", null, 1, 3, 3, new byte[9]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageTensors.features(mixed));
        assertEquals("image b is 1x3x3, the batch is 1x2x2 (decode every image with the same data.channels, "
                + "data.height and data.width)", e.getMessage());
    }
}
