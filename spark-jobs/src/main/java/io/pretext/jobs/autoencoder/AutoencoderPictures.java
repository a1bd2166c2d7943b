package io.pretext.jobs.autoencoder;

import io.pretext.data.image.ImageCorpus;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.ImageTensors;
import io.pretext.jobs.report.ImageGrid;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.zoo.autoencoder.Autoencoder;
import io.pretext.zoo.autoencoder.AutoencoderConfig;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Pictures of image autoencoders: inputs next to their reconstructions, decoded samples; PNG files on any FS. */
public final class AutoencoderPictures {

    /** Largest side of a grid cell in pixels. */
    static final int CELL = 84;
    /** Input and reconstruction pairs per row of {@code pretext reconstruct}'s grid. */
    static final int RECONSTRUCTIONS_PER_ROW = 4;

    private AutoencoderPictures() {
    }

    /**
     * Groups of cells, {@code perRow} groups a row: each image as decoded, then (when {@code corrupted} is given) the
     * corrupted copy the encoder saw, then the reconstruction.
     *
     * @param corrupted       {@code [N, C, H, W]} in [0, 1], or null
     * @param reconstructions {@code [N, C, H, W]} in [0, 1]
     */
    static BufferedImage reconstructions(List<ImageRecord> images, INDArray corrupted, INDArray reconstructions,
                                         int perRow) {
        ImageRecord first = images.get(0);
        int c = first.channels();
        int h = first.height();
        int w = first.width();
        int size = c * h * w;
        float[] seen = corrupted == null ? null : floats(corrupted);
        float[] rebuilt = floats(reconstructions);
        List<BufferedImage> cells = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ImageRecord image = images.get(i);
            cells.add(ImageGrid.fromBytes(image.pixels(), c, h, w));
            if (seen != null) {
                cells.add(ImageGrid.fromFloats(seen, i * size, c, h, w));
            }
            cells.add(ImageGrid.fromFloats(rebuilt, i * size, c, h, w));
        }
        int group = corrupted == null ? 2 : 3;
        return ImageGrid.forImages(h, w, group * Math.min(perRow, images.size()), group, CELL).draw(cells);
    }

    /** Images {@code [N, C, H, W]} in [0, 1] in a grid of {@code columns} cells a row. */
    static BufferedImage grid(INDArray images, int columns) {
        int n = (int) images.size(0);
        int c = (int) images.size(1);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        float[] values = floats(images);
        List<BufferedImage> cells = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cells.add(ImageGrid.fromFloats(values, i * c * h * w, c, h, w));
        }
        return ImageGrid.forImages(h, w, Math.min(columns, n), 1, CELL).draw(cells);
    }

    /**
     * {@code n} images decoded from draws of a vae's prior, in a square grid.
     *
     * @throws IllegalArgumentException unless the run is a vae of images and {@code n >= 1}
     */
    public static BufferedImage priorSamples(TrainedAutoencoder model, int n, long seed) {
        model.requireImages("sample");
        if (!model.model().isVariational()) {
            throw new IllegalArgumentException("sample draws from the prior of a variational autoencoder; "
                    + model.run() + " is a " + model.model().kind() + " run, whose code has no prior (train one with "
                    + "pretext pretrain vae)");
        }
        if (n < 1) {
            throw new IllegalArgumentException("--n must be >= 1, got " + n);
        }
        return grid(decodedPriorSamples(model.graph(), model.model(), n, seed), (int) Math.ceil(Math.sqrt(n)));
    }

    /** {@code [n, C, H, W]}: {@code n} draws of the prior N(0, I) through the decoder of a trained vae. */
    static INDArray decodedPriorSamples(ComputationGraph trained, AutoencoderConfig model, int n, long seed) {
        INDArray z = Autoencoder.priorSample(model, n, seed); // [n, latentSize]
        return Autoencoder.decode(Autoencoder.decoderOnly(trained, model), model, z);
    }

    /**
     * Writes the first {@code n} images under {@code input} (by id), each next to its reconstruction, as a PNG.
     *
     * @return the images shown ({@code n}, or fewer when the corpus is smaller)
     */
    public static int writeReconstructions(SparkSession spark, TrainedAutoencoder model, String input, int n,
                                           String out) {
        model.requireImages("reconstruct");
        spark.sparkContext().setJobDescription("reconstruct: read the first " + n + " images under " + input);
        ImageCorpus corpus = ImageCorpus.open(spark, input, model.config().imageData().withFormat("auto"))
                .requireUsable();
        try {
            List<ImageRecord> images = corpus.records().takeOrdered(n, new ById());
            INDArray rebuilt = Autoencoder.reconstruct(model.graph(), model.model(), ImageTensors.features(images));
            writePng(out, reconstructions(images, null, rebuilt, RECONSTRUCTIONS_PER_ROW));
            return images.size();
        } finally {
            corpus.unpersist();
        }
    }

    /** Writes a PNG to {@code location} (Hadoop URI or local path) through a temporary sibling, replacing a file. */
    public static void writePng(String location, BufferedImage image) {
        Path target = HadoopPaths.of(location);
        try {
            FileSystem fs = HadoopPaths.fileSystem(target);
            if (fs.exists(target) && fs.getFileStatus(target).isDirectory()) {
                throw new IllegalArgumentException("--out " + location + " is a directory; give a file name such as "
                        + "samples.png");
            }
            fs.mkdirs(target.getParent());
            Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
            try {
                try (FSDataOutputStream out = fs.create(tmp, true)) {
                    if (!ImageIO.write(image, "png", out)) {
                        throw new IllegalStateException("no PNG writer available");
                    }
                }
                if (fs.exists(target)) {
                    fs.delete(target, false);
                }
                if (!fs.rename(tmp, target)) {
                    throw new IOException("rename " + tmp + " -> " + target + " failed");
                }
            } finally {
                if (fs.exists(tmp)) {
                    fs.delete(tmp, false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + location + ": " + e.getMessage(), e);
        }
    }

    /** Images by id. */
    private static final class ById implements Comparator<ImageRecord>, Serializable {
        @Override
        public int compare(ImageRecord a, ImageRecord b) {
            return a.id().compareTo(b.id());
        }
    }

    /** The values of a batch in C order. */
    private static float[] floats(INDArray batch) {
        return batch.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
}
