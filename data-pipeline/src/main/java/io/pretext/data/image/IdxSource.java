package io.pretext.data.image;

import io.pretext.data.files.ListedFile;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IDX files as MNIST and Fashion-MNIST ship them: {@code <set>-images-idx3-ubyte[.gz]} (unsigned
 * bytes, [count, rows, columns]) with {@code <set>-labels-idx1-ubyte[.gz]} beside it. Headers are read
 * on the driver; each executor task streams its range of images. The id is {@code <images file>#<index>}
 * and the label the decimal class number.
 */
final class IdxSource {

    private static final Logger LOG = LoggerFactory.getLogger(IdxSource.class);
    private static final int IMAGE_MAGIC = 0x00000803;
    private static final int LABEL_MAGIC = 0x00000801;
    private static final int IMAGES_PER_PARTITION = 10_000;

    /** Images {@code [start, end)} of one IDX set. A plain class: Kryo 4.x, which may ship it, cannot build records. */
    static final class Range implements Serializable {
        private final String images;
        private final String labels;
        private final String name;
        private final int start;
        private final int end;
        private final int rows;
        private final int columns;

        Range(String images, String labels, String name, int start, int end, int rows, int columns) {
            this.images = images;
            this.labels = labels;
            this.name = name;
            this.start = start;
            this.end = end;
            this.rows = rows;
            this.columns = columns;
        }

        String images() {
            return images;
        }

        String labels() {
            return labels;
        }

        String name() {
            return name;
        }

        int start() {
            return start;
        }

        int end() {
            return end;
        }

        int rows() {
            return rows;
        }

        int columns() {
            return columns;
        }
    }

    private IdxSource() {
    }

    static JavaRDD<DecodeResult> decode(JavaSparkContext sc, CorpusFiles files, ImageDataConfig config) {
        if (files.idxImages.size() > 1) {
            throw new IllegalArgumentException("IDX corpus " + files.given + " holds several image sets "
                    + files.idxImages.stream().map(ListedFile::relative).toList()
                    + ": name one images file as the path");
        }
        Configuration conf = sc.hadoopConfiguration();
        Path images = new Path(files.idxImages.get(0).path());
        int[] header = readHeader(files.fs, images, IMAGE_MAGIC, 3);
        int count = header[0];
        if ((long) header[1] * header[2] > config.maxSourcePixels()) {
            throw new IllegalArgumentException("IDX file " + images + " declares images of " + header[1] + "x" + header[2]
                    + " px, above data.maxSourcePixels " + config.maxSourcePixels() + " (set it in the data: section)");
        }
        Path labels = labelsBeside(files.fs, images);
        if (labels != null) {
            int labelCount = readHeader(files.fs, labels, LABEL_MAGIC, 1)[0];
            if (labelCount != count) {
                throw new IllegalArgumentException("IDX labels file " + labels + " holds " + labelCount
                        + " labels but " + images + " holds " + count + " images");
            }
        }
        int partitions = config.partitions() > 0 ? config.partitions()
                : Math.max(sc.defaultParallelism(), (count + IMAGES_PER_PARTITION - 1) / IMAGES_PER_PARTITION);
        partitions = Math.max(1, Math.min(partitions, Math.max(count, 1)));
        List<Range> ranges = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int start = (int) ((long) count * p / partitions);
            int end = (int) ((long) count * (p + 1) / partitions);
            ranges.add(new Range(images.toString(), labels == null ? null : labels.toString(), images.getName(),
                    start, end, header[1], header[2]));
        }
        LOG.info("IDX images {}: {} images {}x{}, labels {}, {} partitions", images, count, header[1], header[2],
                labels == null ? "(none)" : labels.getName(), partitions);
        SerializableConfiguration hadoopConf = new SerializableConfiguration(conf);
        return sc.parallelize(ranges, ranges.size())
                .flatMap(range -> new Reading(range, new ImageDecoder(config), hadoopConf.value()));
    }

    /** [count, dims...] after checking the magic number; an IllegalArgumentException names the file otherwise. */
    private static int[] readHeader(FileSystem fs, Path file, int magic, int dims) {
        try (DataInputStream in = new DataInputStream(open(fs, file))) {
            int found = in.readInt();
            if (found != magic) {
                throw new IllegalArgumentException("IDX file " + file + " starts with magic 0x"
                        + Integer.toHexString(found) + ", expected 0x" + Integer.toHexString(magic)
                        + (dims == 3 ? " (unsigned-byte images, 3 dimensions)" : " (unsigned-byte labels, 1 dimension)"));
            }
            int[] header = new int[dims];
            for (int i = 0; i < dims; i++) {
                header[i] = in.readInt();
                if (header[i] < 0 || (i > 0 && header[i] == 0)) {
                    throw new IllegalArgumentException("IDX file " + file + " declares dimension " + i + " = " + header[i]);
                }
            }
            return header;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the IDX header of " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code x-labels-idx1-ubyte[.gz]} beside {@code x-images-idx3-ubyte[.gz]}, or null when absent. */
    private static Path labelsBeside(FileSystem fs, Path images) {
        String name = images.getName();
        String base = name.replace("-images-idx3-ubyte", "-labels-idx1-ubyte")
                .replace("-images.idx3-ubyte", "-labels.idx1-ubyte");
        String plain = base.endsWith(".gz") ? base.substring(0, base.length() - 3) : base;
        try {
            for (String candidate : List.of(base, plain, plain + ".gz")) {
                Path p = new Path(images.getParent(), candidate);
                if (!candidate.equals(name) && fs.exists(p)) {
                    return p;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for IDX labels beside " + images + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(FileSystem fs, Path file) throws IOException {
        InputStream raw = new BufferedInputStream(fs.open(file), 1 << 16);
        return file.getName().endsWith(".gz") ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
    }

    /** Streams one range; a file that ends early turns the rest of the range into truncated rejects. */
    private static final class Reading implements Iterator<DecodeResult> {
        private final Range range;
        private final ImageDecoder decoder;
        private final Configuration conf;
        private final byte[] pixels;
        private byte[] labels;
        private InputStream in;
        private String failure;
        private RejectReason failureReason;
        private int next;

        Reading(Range range, ImageDecoder decoder, Configuration conf) {
            this.range = range;
            this.decoder = decoder;
            this.conf = conf;
            this.pixels = new byte[range.rows() * range.columns()];
            this.next = range.start();
        }

        @Override
        public boolean hasNext() {
            if (next < range.end()) {
                return true;
            }
            close();
            return false;
        }

        @Override
        public DecodeResult next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int index = next++;
            String id = range.name() + "#" + index;
            if (failure == null && in == null) {
                openRange();
            }
            if (failure == null) {
                try {
                    int n = in.readNBytes(pixels, 0, pixels.length);
                    if (n < pixels.length) {
                        fail(RejectReason.TRUNCATED, range.name() + " ends inside image " + index);
                    }
                } catch (IOException e) {
                    fail(RejectReason.UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            if (failure != null) {
                return new ImageReject(id, failureReason, failure);
            }
            int offset = index - range.start();
            if (labels != null && offset >= labels.length) {
                return new ImageReject(id, RejectReason.TRUNCATED, "labels file ends before label " + index);
            }
            String label = labels == null ? null : Integer.toString(labels[offset] & 0xFF);
            return decoder.decodeGrey(id, label, pixels, 0, range.rows(), range.columns());
        }

        private void openRange() {
            try {
                Path imagesPath = new Path(range.images());
                FileSystem fs = imagesPath.getFileSystem(conf);
                if (range.labels() != null) {
                    try (InputStream l = open(fs, new Path(range.labels()))) {
                        l.skipNBytes(8L + range.start());
                        labels = l.readNBytes(range.end() - range.start());
                    }
                }
                in = open(fs, imagesPath);
                in.skipNBytes(16L + (long) range.start() * pixels.length);
            } catch (java.io.EOFException e) {
                fail(RejectReason.TRUNCATED, range.name() + " or its labels end before image " + range.start());
            } catch (IOException | RuntimeException e) {
                fail(RejectReason.UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        private void fail(RejectReason reason, String detail) {
            failure = detail;
            failureReason = reason;
            close();
        }

        private void close() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read-only stream: nothing is lost when closing fails
                }
                in = null;
            }
        }
    }
}
