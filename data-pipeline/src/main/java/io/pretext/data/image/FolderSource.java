package io.pretext.data.image;

import io.pretext.data.files.ListedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder tree of image files. Listed on the driver; each executor task opens and decodes its
 * slice of files through the Hadoop file system. When every file sits below a first-level
 * sub-folder, that folder's name is the file's label; the id is the path relative to the root.
 */
final class FolderSource {

    private static final Logger LOG = LoggerFactory.getLogger(FolderSource.class);
    private static final int FILES_PER_PARTITION = 1000;

    /**
     * One file to read in an executor. A plain class rather than a record: task data goes through
     * Spark's serializer, and Kryo 4.x cannot build records.
     */
    static final class Entry implements Serializable {
        private final String path;
        private final String id;
        private final String label;
        private final long size;

        Entry(String path, String id, String label, long size) {
            this.path = path;
            this.id = id;
            this.label = label;
            this.size = size;
        }

        String path() {
            return path;
        }

        String id() {
            return id;
        }

        String label() {
            return label;
        }

        long size() {
            return size;
        }
    }

    private FolderSource() {
    }

    static JavaRDD<DecodeResult> decode(JavaSparkContext sc, CorpusFiles files, ImageDataConfig config) {
        boolean labeled = !files.isFile && files.images.stream().allMatch(f -> f.relative().contains("/"));
        List<Entry> entries = new ArrayList<>(files.images.size());
        for (ListedFile f : files.images) {
            String label = labeled ? f.relative().substring(0, f.relative().indexOf('/')) : null;
            entries.add(new Entry(f.path(), f.relative(), label, f.size()));
        }
        int partitions = config.partitions() > 0 ? config.partitions()
                : Math.max(sc.defaultParallelism(), (entries.size() + FILES_PER_PARTITION - 1) / FILES_PER_PARTITION);
        partitions = Math.max(1, Math.min(partitions, entries.size()));
        LOG.info("image folder {}: {} files, {}, {} partitions", files.given, entries.size(),
                labeled ? entries.stream().map(Entry::label).distinct().count() + " class folders" : "unlabeled",
                partitions);
        SerializableConfiguration hadoopConf = new SerializableConfiguration(sc.hadoopConfiguration());
        return sc.parallelize(entries, partitions)
                .mapPartitions(it -> new Reading(it, new ImageDecoder(config), hadoopConf));
    }

    /** Reads and decodes lazily, one file per {@code next()}, turning every failure into a reject. */
    private static final class Reading implements Iterator<DecodeResult> {
        private final Iterator<Entry> entries;
        private final ImageDecoder decoder;
        private final SerializableConfiguration conf;

        Reading(Iterator<Entry> entries, ImageDecoder decoder, SerializableConfiguration conf) {
            this.entries = entries;
            this.decoder = decoder;
            this.conf = conf;
        }

        @Override
        public boolean hasNext() {
            return entries.hasNext();
        }

        @Override
        public DecodeResult next() {
            Entry e = entries.next();
            long limit = decoder.config().maxFileBytes();
            if (e.size() > limit) {
                return decoder.tooLargeFile(e.id(), e.size());
            }
            byte[] bytes;
            try {
                Path path = new Path(e.path());
                FileSystem fs = path.getFileSystem(conf.value());
                try (InputStream in = fs.open(path)) {
                    bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 16));
                }
            } catch (IOException | RuntimeException ex) {
                return new ImageReject(e.id(), RejectReason.UNREADABLE, ex.getClass().getSimpleName() + ": " + ex.getMessage());
            }
            if (bytes.length > limit) { // grew since it was listed
                return decoder.tooLargeFile(e.id(), bytes.length);
            }
            return decoder.decode(e.id(), e.label(), bytes);
        }
    }
}
