package io.pretext.data.text;

import io.pretext.data.files.ListedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder tree of plain-text files, one document per file (compressed files by extension are
 * decompressed). Listed on the driver; each task reads its slice of files. When every file sits below
 * a first-level sub-folder, that folder's name is the label; the id is the path relative to the root.
 */
final class TextFolderSource {

    private static final Logger LOG = LoggerFactory.getLogger(TextFolderSource.class);
    private static final int FILES_PER_PARTITION = 1000;

    /** One file to read in an executor; a plain class because Kryo 4.x cannot build records. */
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
    }

    private TextFolderSource() {
    }

    static JavaRDD<TextOutcome> decode(JavaSparkContext sc, TextFiles files, TextDataConfig config) {
        List<ListedFile> listed = files.all();
        boolean labeled = !files.isFile && listed.stream().allMatch(f -> f.relative().contains("/"));
        List<Entry> entries = new ArrayList<>(listed.size());
        for (ListedFile f : listed) {
            String label = labeled ? f.relative().substring(0, f.relative().indexOf('/')) : null;
            entries.add(new Entry(f.path(), f.relative(), label, f.size()));
        }
        int partitions = config.partitions() > 0 ? config.partitions()
                : Math.max(sc.defaultParallelism(), (entries.size() + FILES_PER_PARTITION - 1) / FILES_PER_PARTITION);
        partitions = Math.max(1, Math.min(partitions, entries.size()));
        LOG.info("text folder {}: {} files, {}, {} partitions", files.given, entries.size(),
                labeled ? entries.stream().map(e -> e.label).distinct().count() + " label folders" : "unlabeled",
                partitions);
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        return sc.parallelize(entries, partitions).mapPartitions(it -> new Reading(it, new TextDecoder(config), conf));
    }

    /** Reads lazily, one file per {@code next()}, turning every failure into a reject. */
    private static final class Reading implements Iterator<TextOutcome> {
        private final Iterator<Entry> entries;
        private final TextDecoder decoder;
        private final SerializableConfiguration conf;

        Reading(Iterator<Entry> entries, TextDecoder decoder, SerializableConfiguration conf) {
            this.entries = entries;
            this.decoder = decoder;
            this.conf = conf;
        }

        @Override
        public boolean hasNext() {
            return entries.hasNext();
        }

        @Override
        public TextOutcome next() {
            Entry e = entries.next();
            long limit = decoder.config().maxDocumentBytes();
            Path path = new Path(e.path);
            byte[] bytes;
            try {
                if (e.size > limit && !TextFiles.isCompressed(path, conf.value())) {
                    return decoder.oversize(e.id, e.size);
                }
                try (InputStream in = TextFiles.open(path, conf.value())) {
                    bytes = in.readNBytes((int) limit + 1);
                }
            } catch (IOException | RuntimeException ex) {
                return TextOutcome.rejected(new TextIssue(e.id, TextIssueReason.UNREADABLE,
                        ex.getClass().getSimpleName() + ": " + ex.getMessage()));
            }
            if (bytes.length > limit) {
                return TextOutcome.rejected(new TextIssue(e.id, TextIssueReason.OVERSIZE,
                        "more than data.maxDocumentBytes = " + limit + " bytes"));
            }
            return decoder.decode(e.id, e.label, bytes);
        }
    }
}
