package io.pretext.data.image;

import io.pretext.data.DataKryoRegistrator;
import io.pretext.data.dataset.DatasetReader;
import io.pretext.data.issue.OutcomeSummary;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image corpus decoded and validated in the executors.
 *
 * <p>{@link #open} looks at the path on the driver (errors about the path come before any Spark
 * action) and defines one persisted RDD of {@link DecodeResult}s. Usable records and the reject report
 * are both computed from it by actions, so counts stay exact when Spark recomputes or retries
 * partitions, and every input is decoded once.
 *
 * <p>Formats: a folder tree of image files (first-level sub-folders are labels when every image sits
 * in one), Parquet with a binary image column, or IDX files. {@code data.format=auto} picks the one
 * kind of candidate file present. A dataset written by {@code pretext preprocess} (a directory with its
 * {@code manifest.json}) is read from its shards instead: decoded, validated and deduplicated already.
 */
public final class ImageCorpus {

    private static final Logger LOG = LoggerFactory.getLogger(ImageCorpus.class);

    private final String path;
    private final String format;
    private final ImageDataConfig config;
    private final JavaRDD<DecodeResult> results;
    private OutcomeSummary<ImageReject, RejectReason> summary;

    private ImageCorpus(String path, String format, ImageDataConfig config, JavaRDD<DecodeResult> results) {
        this.path = path;
        this.format = format;
        this.config = config;
        this.results = results;
    }

    /**
     * Lists {@code path} (a Hadoop URI such as {@code hdfs://nn/data/x}, {@code s3a://b/x},
     * {@code file:///x}, or a plain local path) and defines the decoding. Runs no Spark action.
     *
     * @throws IllegalArgumentException when the path does not exist, holds no candidate files, holds
     *                                  several formats under {@code format=auto}, or a Parquet/IDX header
     *                                  does not fit
     */
    public static ImageCorpus open(SparkSession spark, String path, ImageDataConfig config) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(config, "config");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        DataKryoRegistrator.requireRegistered(sc.getConf(), "image records");
        if (DatasetReader.isDataset(path, sc.hadoopConfiguration())) {
            JavaRDD<DecodeResult> stored = DatasetReader.open(spark, path).images(config).map(r -> r);
            stored.setName("dataset images " + path).persist(StorageLevel.MEMORY_AND_DISK());
            return new ImageCorpus(path, "dataset", config, stored);
        }
        CorpusFiles files = CorpusFiles.list(path, sc.hadoopConfiguration());
        String format = files.detectFormat(config.format());
        JavaRDD<DecodeResult> results = switch (format) {
            case "folder" -> FolderSource.decode(sc, files, config);
            case "parquet" -> ParquetSource.decode(spark, files, config);
            case "idx" -> IdxSource.decode(sc, files, config);
            default -> throw new IllegalStateException("unhandled corpus format " + format);
        };
        results.setName("decoded images " + path).persist(StorageLevel.MEMORY_AND_DISK());
        return new ImageCorpus(path, format, config, results);
    }


    public String path() {
        return path;
    }

    /** {@code folder}, {@code parquet}, {@code idx} or {@code dataset}. */
    public String format() {
        return format;
    }

    public ImageDataConfig config() {
        return config;
    }

    /**
     * The usable images, each {@code config.channels x height x width}. A filter over the persisted
     * decode results: using it does not decode again.
     */
    public JavaRDD<ImageRecord> records() {
        return results.filter(r -> r instanceof ImageRecord).map(r -> (ImageRecord) r)
                .setName("images " + path);
    }

    /** Every reject (for a quarantine listing); the report holds counts and the first few. */
    public JavaRDD<ImageReject> rejectedInputs() {
        return results.filter(r -> r instanceof ImageReject).map(r -> (ImageReject) r)
                .setName("rejected images " + path);
    }

    /** Counts per reason and the first {@code data.rejectSampleSize} rejects by id. Runs one action, once. */
    public RejectReport rejects() {
        return report(summary());
    }

    /** Usable images. */
    public long count() {
        return rejects().usable();
    }

    /** Distinct labels of the usable images, sorted (numerically when all are integers); empty if unlabeled. */
    public List<String> labels() {
        return summary().labels();
    }

    /**
     * Returns this corpus when it has at least one usable image.
     *
     * @throws IllegalArgumentException naming the path, the number read and the rejects by reason
     */
    public ImageCorpus requireUsable() {
        RejectReport report = rejects();
        if (report.usable() == 0) {
            String examples = report.samples().stream().limit(5).map(ImageReject::toString)
                    .collect(Collectors.joining("; "));
            throw new IllegalArgumentException("no usable images in " + path + ": read " + report.read()
                    + ", all rejected (" + report.countsText() + ")" + (examples.isEmpty() ? "" : "; e.g. " + examples));
        }
        return this;
    }

    /** Drops the cached decode results from executor memory and disk. */
    public void unpersist() {
        results.unpersist(false);
    }

    private static RejectReport report(OutcomeSummary<ImageReject, RejectReason> s) {
        return new RejectReport(s.read(), s.usable(), s.counts(), s.samples());
    }

    private synchronized OutcomeSummary<ImageReject, RejectReason> summary() {
        if (summary == null) {
            summary = OutcomeSummary.of(results, "decode and validate images under " + path,
                    new OutcomeSummary<>(RejectReason.class, config.rejectSampleSize()),
                    (s, r) -> s.add(r instanceof ImageRecord, r instanceof ImageRecord record ? record.label() : null,
                            r instanceof ImageReject reject ? List.of(reject) : List.of()));
            RejectReport report = report(summary);
            if (report.rejected() > 0) {
                LOG.warn("images {}: {}; first rejects: {}", path, report.summary(),
                        report.samples().stream().limit(5).map(ImageReject::toString).collect(Collectors.joining("; ")));
            } else {
                LOG.info("images {}: {}", path, report.summary());
            }
        }
        return summary;
    }
}
