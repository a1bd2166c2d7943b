package io.pretext.jobs.simclr;

import io.pretext.data.augment.SimClrAugmenter;
import io.pretext.data.augment.SimClrBatch;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.shard.Sharding;
import io.pretext.jobs.report.ImageGrid;
import io.pretext.jobs.report.ReportSection;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * SimCLR's report section: a few training images, each next to the two augmented views epoch 1 trains on, made
 * by the run's own augmenter from the run's seed, so that a reader can judge the augmentation by eye.
 */
final class AugmentationPreview {

    /** Images shown. */
    static final int IMAGES = 9;
    /** Images per row of the grid, each as input, view 1, view 2. */
    static final int PER_ROW = 3;
    /** Largest side of a grid cell in pixels. */
    static final int CELL = 112;

    private AugmentationPreview() {
    }

    static ReportSection of(SparkSession spark, JavaRDD<ImageRecord> records, SimClrRunConfig config) {
        long seed = config.train().seed();
        spark.sparkContext().setJobDescription("report: pick " + IMAGES + " training images for the augmentation "
                + "preview");
        List<ImageRecord> images = records.takeOrdered(IMAGES, new ByOrderKey(seed));
        SimClrAugmenter augmenter = new SimClrAugmenter(config.augment(), config.data().channels(),
                config.data().height(), config.data().width());
        // [2N, C, H, W]: view 1 of image i at row i, view 2 at row N + i, as SimClrTask builds a batch
        float[] views = SimClrBatch.twoViews(images, augmenter, seed, 0).data().asFloat();
        int c = augmenter.channels();
        int h = augmenter.height();
        int w = augmenter.width();
        int n = images.size();
        List<BufferedImage> cells = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ImageRecord image = images.get(i);
            cells.add(ImageGrid.fromBytes(image.pixels(), image.channels(), image.height(), image.width()));
            cells.add(ImageGrid.fromFloats(views, i * augmenter.viewSize(), c, h, w));
            cells.add(ImageGrid.fromFloats(views, (n + i) * augmenter.viewSize(), c, h, w));
            rows.add(List.of(String.valueOf(i / PER_ROW + 1), String.valueOf(i % PER_ROW + 1), image.id(),
                    image.label() == null ? "" : image.label()));
        }
        ImageGrid grid = ImageGrid.forImages(h, w, 3 * PER_ROW, 3, CELL);
        String text = String.format(Locale.ROOT, "Each group of three: a training image as decoded (%dx%d, %d "
                        + "channel%s), then its two augmented views exactly as epoch 1 trains on them (train.seed %d, "
                        + "the augment: settings of this run). Crops should keep enough of the object to match the "
                        + "two views; colour and blur changes should be visible but not destroy it.", h, w, c,
                c == 1 ? "" : "s", seed);
        return new ReportSection("augmentations", "Augmentations", text,
                List.of(new ReportSection.Figure("augmentations",
                        "Input, view 1, view 2 for each image; " + PER_ROW + " images per row.", grid.draw(cells))),
                new ReportSection.Table(List.of("row", "group", "image", "label"), rows));
    }

    /** A seeded, stable choice across the corpus: the records with the smallest order keys. */
    private record ByOrderKey(long seed) implements Comparator<ImageRecord>, Serializable {
        @Override
        public int compare(ImageRecord a, ImageRecord b) {
            return Long.compare(Sharding.orderKey(a.id(), seed, 0), Sharding.orderKey(b.id(), seed, 0));
        }
    }
}
