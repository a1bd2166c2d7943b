package io.pretext.jobs.report;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Pictures for report sections keep every pixel's value, and the grid puts cells where its layout says. */
class ImageGridTest {

    @Test
    void greyBytesBecomeEqualRedGreenAndBlue() {
        byte[] chw = {0, (byte) 128, (byte) 255, 7};
        BufferedImage image = ImageGrid.fromBytes(chw, 1, 2, 2);
        assertEquals(0x808080, image.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, image.getRGB(0, 1) & 0xFFFFFF);
        assertEquals(0x070707, image.getRGB(1, 1) & 0xFFFFFF);
    }

    @Test
    void rgbPlanesBecomeTheirChannels() {
        // [3, 1, 2]: red plane, green plane, blue plane
        byte[] chw = {10, 20, 30, 40, 50, 60};
        BufferedImage image = ImageGrid.fromBytes(chw, 3, 1, 2);
        assertEquals(0x0A1E32, image.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x14283C, image.getRGB(1, 0) & 0xFFFFFF);
    }

    @Test
    void floatsAreRoundedAndClamped() {
        float[] chw = {-0.5f, 0f, 0.5f, 1f, 1.5f};
        BufferedImage image = ImageGrid.fromFloats(chw, 1, 1, 2, 2);
        assertEquals(0x000000, image.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x808080, image.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, image.getRGB(0, 1) & 0xFFFFFF);
        assertEquals(0xFFFFFF, image.getRGB(1, 1) & 0xFFFFFF);
    }

    @Test
    void smallImagesAreEnlargedByAWholeFactorPixelForPixel() {
        BufferedImage a = ImageGrid.fromBytes(new byte[]{1, 2, 3, 4, 5, 6}, 1, 2, 3);
        BufferedImage b = ImageGrid.fromBytes(new byte[]{9, 8, 7, 6, 5, 4}, 1, 2, 3);
        ImageGrid grid = ImageGrid.forImages(2, 3, 2, 1, 10);
        assertEquals(9, grid.cellWidth());
        assertEquals(6, grid.cellHeight());
        BufferedImage drawn = grid.draw(List.of(a, b, b));
        assertEquals(grid.y(1) + grid.cellHeight() + ImageGrid.MARGIN, drawn.getHeight());
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 9; x++) {
                assertEquals(a.getRGB(x / 3, y / 3), drawn.getRGB(grid.x(0) + x, grid.y(0) + y));
                assertEquals(b.getRGB(x / 3, y / 3), drawn.getRGB(grid.x(1) + x, grid.y(0) + y));
                assertEquals(b.getRGB(x / 3, y / 3), drawn.getRGB(grid.x(0) + x, grid.y(1) + y));
            }
        }
        assertEquals(0xFFFFFF, drawn.getRGB(grid.x(1) + 2, grid.y(1) + 2) & 0xFFFFFF, "an empty cell stays white");
    }

    @Test
    void largeImagesAreReducedToTheTarget() {
        ImageGrid grid = ImageGrid.forImages(224, 448, 3, 3, 112);
        assertEquals(112, grid.cellWidth());
        assertEquals(56, grid.cellHeight());
    }

    @Test
    void groupsAreSetFurtherApartThanCells() {
        ImageGrid grid = ImageGrid.forImages(28, 28, 6, 3, 112);
        assertEquals(grid.x(1) - grid.x(0), grid.x(2) - grid.x(1));
        assertEquals(grid.x(1) - grid.x(0) + ImageGrid.GROUP_GAP - ImageGrid.GAP, grid.x(3) - grid.x(2));
    }

    @Test
    void refusesColumnsThatDoNotFillWholeGroups() {
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(10, 10, 5, 3));
    }
}
