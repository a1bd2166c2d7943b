package io.pretext.data.dataset;

import io.pretext.data.shard.StableHash;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Where the files of a dataset directory live, and how they are put there. Every file goes to a temporary name
 * first and is renamed into place, replacing an older one in one step where the file system can (HDFS, local).
 *
 * <pre>
 * DATASET/manifest.json                           the commit point: lists every valid file
 *         rejected.jsonl                          the first rejects of each committed partition
 *         shards/KEY-00000-of-00004.parquet       records, named by partition key and shard index
 *         index/KEY-00000-of-00004.parquet        text: hashes (and shingles) of kept documents
 *         _pending/KEY/NAME.json                  receipts of shards finished by an uncommitted partition
 *         _tmp/                                   files being written
 * </pre>
 *
 * Names starting with {@code _} or {@code .} are hidden from Spark and Hadoop readers.
 */
public final class DatasetLayout implements Serializable {

    public static final String MANIFEST = "manifest.json";
    public static final String REJECTED = "rejected.jsonl";
    public static final String SHARDS = "shards";
    public static final String INDEX = "index";
    public static final String PENDING = "_pending";
    public static final String TMP = "_tmp";

    private static final long SHARD_DOMAIN = 0x4453484152444BL; // "DSHARDK"

    private final String root;

    public DatasetLayout(String root) {
        this.root = root;
    }

    public String root() {
        return root;
    }

    public Path path(String relative) {
        return new Path(new Path(root), relative);
    }

    /** {@code shards/KEY-00002-of-00008.parquet} for the shard {@code index} of {@code count} of a partition. */
    public static String shardName(String folder, String partitionKey, int index, int count) {
        return String.format(Locale.ROOT, "%s/%s-%05d-of-%05d.parquet", folder, partitionKey, index, count);
    }

    /** The shard, in {@code [0, shards)}, that a record with this key (a content hash or an id) goes to. */
    public static int shardOf(String key, int shards) {
        return (int) Long.remainderUnsigned(StableHash.hash64(key, SHARD_DOMAIN), shards);
    }

    /** The receipt of a finished shard of an uncommitted partition. */
    public static String receiptName(String partitionKey, String shardName) {
        return PENDING + "/" + partitionKey + "/" + shardName.replace('/', '_') + ".json";
    }

    public FileSystem fileSystem(Configuration conf) {
        try {
            FileSystem fs = new Path(root).getFileSystem(conf);
            if (fs instanceof LocalFileSystem local) {
                local.setWriteChecksum(false); // no .crc side files in a dataset directory
            }
            return fs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the file system of " + root + ": " + e.getMessage(), e);
        }
    }

    public boolean exists(String relative, Configuration conf) {
        try {
            return fileSystem(conf).exists(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + path(relative) + ": " + e.getMessage(), e);
        }
    }

    /** The content of a small text file, or null when it does not exist. */
    public String readString(String relative, Configuration conf) {
        try (InputStream in = fileSystem(conf).open(path(relative))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path(relative) + ": " + e.getMessage(), e);
        }
    }

    /** Writes a small file through a temporary name under {@code _tmp/} and renames it into place. */
    public void writeString(String relative, String content, Configuration conf) {
        FileSystem fs = fileSystem(conf);
        Path tmp = temporary(relative);
        try {
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
                out.hsync();
            }
            moveIntoPlace(fs, tmp, path(relative));
        } catch (IOException e) {
            deleteQuietly(fs, tmp);
            throw new UncheckedIOException("cannot write " + path(relative) + ": " + e.getMessage(), e);
        }
    }

    /** A fresh temporary name for a file that will become {@code relative}. */
    public Path temporary(String relative) {
        String name = relative.replace('/', '_');
        return path(TMP + "/" + name + "." + UUID.randomUUID());
    }

    /**
     * Renames {@code from} onto {@code to}, replacing an existing file. A plain rename replaces atomically on the
     * local file system; where it refuses an existing target (HDFS), an overwriting rename does it in one step (on
     * file systems without one, such as object stores, it becomes delete then rename).
     */
    public static void moveIntoPlace(FileSystem fs, Path from, Path to) throws IOException {
        fs.mkdirs(to.getParent());
        if (fs.rename(from, to)) {
            return;
        }
        if (!fs.exists(from)) {
            throw new IOException("rename " + from + " -> " + to + " failed: " + from + " is gone");
        }
        FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(from, to, Options.Rename.OVERWRITE);
    }

    public static void deleteQuietly(FileSystem fs, Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException ignored) {
            // best effort: temporary names are never read, and the next run clears _tmp/
        }
    }

    @Override
    public String toString() {
        return root;
    }
}
