package io.pretext.jobs.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Pictures for report sections: 8-bit or [0, 1] float CHW images as RGB pictures, laid out in a grid of equal
 * cells. Small images are enlarged by a whole factor with nearest-neighbour sampling, so every source pixel stays a
 * sharp square of one colour; large ones are reduced smoothly to the cell size.
 *
 * @param cellWidth  pixels of one cell
 * @param cellHeight pixels of one cell
 * @param columns    cells per grid row
 * @param groupSize  cells per group (e.g. input, view 1, view 2); groups are set further apart
 */
public record ImageGrid(int cellWidth, int cellHeight, int columns, int groupSize) {

    static final int MARGIN = 8;
    static final int GAP = 4;
    static final int GROUP_GAP = 20;

    public ImageGrid {
        if (cellWidth < 1 || cellHeight < 1 || columns < 1 || groupSize < 1 || columns % groupSize != 0) {
            throw new IllegalArgumentException("grid of " + columns + " columns in groups of " + groupSize
                    + " with " + cellWidth + "x" + cellHeight + " cells is not a grid");
        }
    }

    /**
     * A grid for images of {@code height x width}: enlarged by the largest whole factor that keeps a cell within
     * {@code target} pixels, or reduced to fit it.
     */
    public static ImageGrid forImages(int height, int width, int columns, int groupSize, int target) {
        int scale = target / Math.max(height, width);
        if (scale >= 1) {
            return new ImageGrid(width * scale, height * scale, columns, groupSize);
        }
        double shrink = (double) target / Math.max(height, width);
        return new ImageGrid(Math.max(1, (int) Math.round(width * shrink)),
                Math.max(1, (int) Math.round(height * shrink)), columns, groupSize);
    }

    /** Left edge of a column's cells. */
    public int x(int column) {
        return MARGIN + column * (cellWidth + GAP) + (column / groupSize) * (GROUP_GAP - GAP);
    }

    /** Top edge of a row's cells. */
    public int y(int row) {
        return MARGIN + row * (cellHeight + GAP);
    }

    /** Draws {@code cells} (row-major, at most {@link #columns} a row) on white. */
    public BufferedImage draw(List<BufferedImage> cells) {
        int rows = Math.max(1, (cells.size() + columns - 1) / columns);
        int width = x(columns - 1) + cellWidth + MARGIN;
        int height = y(rows - 1) + cellHeight + MARGIN;
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            for (int i = 0; i < cells.size(); i++) {
                BufferedImage cell = cells.get(i);
                int x0 = x(i % columns);
                int y0 = y(i / columns);
                if (cellWidth % cell.getWidth() == 0 && cellHeight % cell.getHeight() == 0
                        && cellWidth / cell.getWidth() == cellHeight / cell.getHeight()) {
                    enlarge(cell, canvas, x0, y0, cellWidth / cell.getWidth());
                } else {
                    g.drawImage(cell, x0, y0, cellWidth, cellHeight, null);
                }
            }
        } finally {
            g.dispose();
        }
        return canvas;
    }

    /** Nearest-neighbour enlargement by a whole factor, pixel by pixel so colours are copied exactly. */
    private static void enlarge(BufferedImage cell, BufferedImage canvas, int x0, int y0, int scale) {
        for (int y = 0; y < cell.getHeight(); y++) {
            for (int x = 0; x < cell.getWidth(); x++) {
                int rgb = cell.getRGB(x, y);
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        canvas.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                    }
                }
            }
        }
    }

    /** An 8-bit CHW image (1 grey or 3 RGB channels) as an RGB picture; grey becomes equal R, G and B. */
    public static BufferedImage fromBytes(byte[] chw, int channels, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int r = chw[i] & 0xFF;
                int g = channels == 3 ? chw[plane + i] & 0xFF : r;
                int b = channels == 3 ? chw[2 * plane + i] & 0xFF : r;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    /** A CHW float image in [0, 1] at {@code offset} (1 or 3 channels) as an RGB picture. */
    public static BufferedImage fromFloats(float[] chw, int offset, int channels, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = offset + y * width + x;
                int r = toByte(chw[i]);
                int g = channels == 3 ? toByte(chw[plane + i]) : r;
                int b = channels == 3 ? toByte(chw[2 * plane + i]) : r;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    /** [0, 1] -> 0..255, rounded; values outside are clamped. */
    public static int toByte(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }
}
