package io.pretext.data.text;

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
 * A text corpus read, validated and split into sentences in the executors.
 *
 * <p>{@link #open} looks at the path on the driver (errors about the path, the format and the
 * JSONL/Parquet text field come before any Spark action) and defines one persisted RDD of outcomes.
 * Usable documents and the report are both computed from it by actions, so counts stay exact when
 * Spark recomputes or retries partitions, and every input is read once.
 *
 * <p>Formats: a folder tree of plain-text files (one document per file; the first-level sub-folder is
 * the label when every file sits in one), JSON Lines with a text field, Parquet with a string column.
 * {@code data.format=auto} picks Parquet or JSONL when such files are present, else the folder format.
 * The rules for bad input are those of {@link TextIssueReason}; no input makes a task fail.
 */
public final class TextCorpus {

    private static final Logger LOG = LoggerFactory.getLogger(TextCorpus.class);

    private final String path;
    private final String format;
    private final TextDataConfig config;
    private final JavaRDD<TextOutcome> outcomes;
    private OutcomeSummary<TextIssue, TextIssueReason> summary;

    private TextCorpus(String path, String format, TextDataConfig config, JavaRDD<TextOutcome> outcomes) {
        this.path = path;
        this.format = format;
        this.config = config;
        this.outcomes = outcomes;
    }

    /**
     * Lists {@code path} (a Hadoop URI such as {@code hdfs://nn/data/x}, {@code s3a://b/x}, {@code file:///x},
     * or a plain local path) and defines the reading. Runs no Spark action.
     *
     * @throws IllegalArgumentException when the path does not exist or holds no candidate files, when
     *                                  {@code format=auto} finds both JSONL and Parquet, or when the JSONL/Parquet
     *                                  text field is missing
     */
    public static TextCorpus open(SparkSession spark, String path, TextDataConfig config) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(config, "config");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        DataKryoRegistrator.requireRegistered(sc.getConf(), "text records");
        if (DatasetReader.isDataset(path, sc.hadoopConfiguration())) {
            throw new IllegalArgumentException(path + " is a dataset made by pretext preprocess (packed sequences), "
                    + "not a text corpus: read its sequences with DatasetReader.sequences()");
        }
        TextFiles files = TextFiles.list(path, sc.hadoopConfiguration());
        String format = files.detectFormat(config.format());
        JavaRDD<TextOutcome> outcomes = switch (format) {
            case "folder" -> TextFolderSource.decode(sc, files, config);
            case "jsonl" -> JsonlSource.decode(sc, files, config);
            case "parquet" -> TextParquetSource.decode(spark, files, config);
            default -> throw new IllegalStateException("unhandled text corpus format " + format);
        };
        outcomes.setName("read text " + path).persist(StorageLevel.MEMORY_AND_DISK());
        return new TextCorpus(path, format, config, outcomes);
    }


    public String path() {
        return path;
    }

    /** {@code folder}, {@code jsonl} or {@code parquet}. */
    public String format() {
        return format;
    }

    public TextDataConfig config() {
        return config;
    }

    /** The usable documents, split into sentences. A filter over the persisted outcomes: no re-reading. */
    public JavaRDD<TextDocument> documents() {
        return outcomes.filter(o -> o.document() != null).map(TextOutcome::document).setName("documents " + path);
    }

    /** Every issue, rejections and repairs, for a quarantine listing; the report holds counts and the first few. */
    public JavaRDD<TextIssue> issues() {
        return outcomes.flatMap(o -> o.issues().iterator()).setName("text issues " + path);
    }

    /** Counts per reason and the first {@code data.rejectSampleSize} issues by id. Runs one action, once. */
    public TextReport rejects() {
        return report(summary());
    }

    /** Usable documents. */
    public long count() {
        return rejects().usable();
    }

    /** Distinct labels of the usable documents, sorted (numerically when all are integers); empty if unlabeled. */
    public List<String> labels() {
        return summary().labels();
    }

    /**
     * Returns this corpus when it has at least one usable document.
     *
     * @throws IllegalArgumentException naming the path, the number read and the rejects by reason
     */
    public TextCorpus requireUsable() {
        TextReport report = rejects();
        if (report.usable() == 0) {
            String examples = report.samples().stream().limit(5).map(TextIssue::toString)
                    .collect(Collectors.joining("; "));
            throw new IllegalArgumentException("no usable documents in " + path + ": read " + report.read()
                    + ", all rejected (" + report.countsText() + ")" + (examples.isEmpty() ? "" : "; e.g. " + examples));
        }
        return this;
    }

    /** Drops the cached outcomes from executor memory and disk. */
    public void unpersist() {
        outcomes.unpersist(false);
    }

    private static TextReport report(OutcomeSummary<TextIssue, TextIssueReason> s) {
        return new TextReport(s.read(), s.usable(), s.counts(), s.samples());
    }

    private synchronized OutcomeSummary<TextIssue, TextIssueReason> summary() {
        if (summary == null) {
            summary = OutcomeSummary.of(outcomes, "read and validate text under " + path,
                    new OutcomeSummary<>(TextIssueReason.class, config.rejectSampleSize()),
                    (s, o) -> s.add(o.document() != null, o.document() == null ? null : o.document().label(),
                            o.issues()));
            TextReport report = report(summary);
            if (report.counts().isEmpty()) {
                LOG.info("text {}: {}", path, report.summary());
            } else {
                LOG.warn("text {}: {}; first issues: {}", path, report.summary(),
                        report.samples().stream().limit(5).map(TextIssue::toString).collect(Collectors.joining("; ")));
            }
        }
        return summary;
    }
}
