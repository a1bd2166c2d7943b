package io.pretext.data.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.text.PackedSequence;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads a dataset written by {@code pretext preprocess}. The manifest is read on the driver; records stream from
 * the shard files it lists in the executors (Spark's Parquet reader, a row group at a time), never through the
 * driver. Files in the directory that the manifest does not list (an interrupted run's) are not read.
 */
public final class DatasetReader {

    private final SparkSession spark;
    private final DatasetLayout layout;
    private final DatasetManifest manifest;

    private DatasetReader(SparkSession spark, DatasetLayout layout, DatasetManifest manifest) {
        this.spark = spark;
        this.layout = layout;
        this.manifest = manifest;
    }

    /** Whether {@code path} is a dataset directory: it holds a {@code manifest.json} of format pretext-dataset. */
    public static boolean isDataset(String path, Configuration conf) {
        if (path == null || path.isBlank()) {
            return false;
        }
        DatasetLayout layout = new DatasetLayout(path);
        try {
            FileSystem fs = layout.fileSystem(conf);
            Path root = new Path(path);
            if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
                return false;
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return false;
        }
        String json = layout.readString(DatasetLayout.MANIFEST, conf);
        if (json == null) {
            return false;
        }
        try {
            JsonNode format = new ObjectMapper().readTree(json).get("format");
            return format != null && DatasetManifest.FORMAT.equals(format.asText());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads the manifest and checks that every file it lists is there with its recorded size. Runs no Spark action.
     *
     * @throws IllegalArgumentException when {@code path} is not a dataset or a listed file is missing or resized
     */
    public static DatasetReader open(SparkSession spark, String path) {
        Objects.requireNonNull(spark, "spark");
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        DatasetLayout layout = new DatasetLayout(path);
        String json = layout.readString(DatasetLayout.MANIFEST, conf);
        if (json == null) {
            throw new IllegalArgumentException(path + " is not a preprocessed dataset: it has no "
                    + DatasetLayout.MANIFEST + " (make one with pretext preprocess)");
        }
        DatasetManifest manifest = DatasetManifest.parse(json, layout.path(DatasetLayout.MANIFEST).toString());
        FileSystem fs = layout.fileSystem(conf);
        List<DatasetManifest.Shard> files = new ArrayList<>(manifest.shards());
        files.addAll(manifest.index());
        for (DatasetManifest.Shard s : files) {
            try {
                FileStatus status = fs.getFileStatus(layout.path(s.path()));
                if (status.getLen() != s.bytes()) {
                    throw new IllegalArgumentException("dataset " + path + " is damaged: " + s.path() + " has "
                            + status.getLen() + " bytes, the manifest says " + s.bytes()
                            + " (re-run pretext preprocess into a new directory)");
                }
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("dataset " + path + " is damaged: " + s.path() + " is listed in "
                        + "its manifest but missing (re-run pretext preprocess into a new directory)");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read dataset " + path + ": " + e.getMessage(), e);
            }
        }
        return new DatasetReader(spark, layout, manifest);
    }

    public DatasetManifest manifest() {
        return manifest;
    }

    public String path() {
        return layout.root();
    }

    /** Every image of an image dataset, in no particular order. */
    public JavaRDD<ImageRecord> images() {
        requireKind(DatasetManifest.KIND_IMAGE, "images");
        return rows(manifest.shards(), ImageShards.SPARK_SCHEMA).map(ImageShards::read)
                .setName("images of dataset " + layout.root());
    }

    /**
     * The images, after checking that they have the size a training run expects.
     *
     * @throws IllegalArgumentException naming the data keys when the dataset's images are of another size
     */
    public JavaRDD<ImageRecord> images(ImageDataConfig expected) {
        requireKind(DatasetManifest.KIND_IMAGE, "images");
        DatasetManifest.RecordLayout r = manifest.records();
        if (r.channels() != expected.channels() || r.height() != expected.height() || r.width() != expected.width()) {
            throw new IllegalArgumentException("dataset " + layout.root() + " holds " + r.channels() + "x" + r.height()
                    + "x" + r.width() + " images but data.channels/height/width are " + expected.channels() + "x"
                    + expected.height() + "x" + expected.width() + " (set data.channels=" + r.channels()
                    + ", data.height=" + r.height() + " and data.width=" + r.width()
                    + " in the data: section, or preprocess the corpus again at this size)");
        }
        return images();
    }

    /** Every packed sequence of a text dataset, in no particular order; masking is the training run's. */
    public JavaRDD<PackedSequence> sequences() {
        requireKind(DatasetManifest.KIND_TEXT, "packed sequences");
        String encoding = manifest.records().tokenEncoding();
        return rows(manifest.shards(), SequenceShards.SPARK_SCHEMA).map(row -> SequenceShards.read(row, encoding))
                .setName("sequences of dataset " + layout.root());
    }

    /** The content hashes of an image dataset's images: only the hash column is read. */
    public JavaRDD<String> imageHashes() {
        requireKind(DatasetManifest.KIND_IMAGE, "images");
        if (manifest.shards().isEmpty()) {
            return emptyRdd();
        }
        return spark.read().schema(ImageShards.SPARK_SCHEMA).parquet(paths(manifest.shards())).select("hash")
                .javaRDD().map(row -> row.getString(0));
    }

    /** The kept documents of a text dataset as its document index holds them (hashes, shingles). */
    public JavaRDD<DocumentKey> documentIndex() {
        requireKind(DatasetManifest.KIND_TEXT, "a document index");
        return rows(manifest.index(), DocumentIndex.SPARK_SCHEMA).map(DocumentIndex::read);
    }

    /**
     * Recomputes every listed file's SHA-256 in the executors and compares it with the manifest.
     *
     * @return one line per file that differs; empty when the dataset is intact
     */
    public List<String> verify() {
        List<DatasetManifest.Shard> files = new ArrayList<>(manifest.shards());
        files.addAll(manifest.index());
        if (files.isEmpty()) {
            return List.of();
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        DatasetLayout root = layout;
        List<String[]> expected = files.stream().map(s -> new String[] {s.path(), s.sha256()}).toList();
        sc.setJobDescription("verify the checksums of " + files.size() + " files of dataset " + layout.root());
        return sc.parallelize(new ArrayList<>(expected), Math.min(expected.size(), sc.defaultParallelism() * 4))
                .flatMap(e -> {
                    String actual = sha256(root, e[0], conf.value());
                    return (actual.equals(e[1]) ? List.<String>of()
                            : List.of(e[0] + ": sha256 " + actual + ", the manifest says " + e[1])).iterator();
                })
                .collect();
    }

    private static String sha256(DatasetLayout layout, String relative, Configuration conf) throws IOException {
        MessageDigest sha = Hashing.sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = layout.fileSystem(conf).open(layout.path(relative))) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        } catch (FileNotFoundException e) {
            return "(missing)";
        }
        return Hashing.hex(sha.digest());
    }

    private JavaRDD<Row> rows(List<DatasetManifest.Shard> files, StructType schema) {
        if (files.isEmpty()) {
            return emptyRdd();
        }
        Dataset<Row> df = spark.read().schema(schema).parquet(paths(files));
        return df.javaRDD();
    }

    private String[] paths(List<DatasetManifest.Shard> files) {
        return files.stream().map(s -> layout.path(s.path()).toString()).toArray(String[]::new);
    }

    private <T> JavaRDD<T> emptyRdd() {
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).emptyRDD();
    }

    private void requireKind(String kind, String what) {
        if (!kind.equals(manifest.kind())) {
            throw new IllegalArgumentException("dataset " + layout.root() + " holds " + manifest.kind()
                    + " records, not " + what + " (it was made with pretext preprocess --kind " + manifest.kind()
                    + ")");
        }
    }
}
