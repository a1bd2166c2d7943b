package io.pretext.data.features;

import io.pretext.data.DataKryoRegistrator;
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
 * A corpus of numeric feature vectors, read and validated in the executors.
 *
 * <p>{@link #open} looks at the path on the driver and settles the feature columns there (CSV: every
 * file's header row; Parquet: the schema), so errors about the path, the format and the columns come
 * before any Spark action. It defines one persisted RDD of outcomes; usable records and the report are
 * both computed from it by actions, so counts stay exact when Spark recomputes or retries partitions,
 * and every input is read once. No row makes a task fail: bad rows are counted per
 * {@link FeatureIssueReason} and dropped or repaired per {@code data.missing}.
 *
 * <p>Formats: CSV files with a header row ({@code *.csv}, {@code *.tsv}, optionally {@code .gz}) or
 * Parquet. {@code data.format=auto} picks the one kind of file present.
 */
public final class FeatureCorpus {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureCorpus.class);

    private final String path;
    private final String format;
    private final FeatureDataConfig config;
    private final List<String> columns;
    private final JavaRDD<FeatureOutcome> outcomes;
    private OutcomeSummary<FeatureIssue, FeatureIssueReason> summary;

    private FeatureCorpus(String path, String format, FeatureDataConfig config, List<String> columns,
            JavaRDD<FeatureOutcome> outcomes) {
        this.path = path;
        this.format = format;
        this.config = config;
        this.columns = List.copyOf(columns);
        this.outcomes = outcomes;
    }

    /**
     * Lists {@code path} (a Hadoop URI such as {@code hdfs://nn/data/x}, {@code s3a://b/x},
     * {@code file:///x}, or a plain local path), settles the feature columns and defines the reading.
     * Runs no Spark action.
     *
     * @throws IllegalArgumentException when the path does not exist or holds no CSV/Parquet files, when
     *                                  {@code format=auto} finds both, when CSV headers differ between files,
     *                                  or when a configured column is absent or not numeric
     */
    public static FeatureCorpus open(SparkSession spark, String path, FeatureDataConfig config) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(config, "config");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        DataKryoRegistrator.requireRegistered(sc.getConf(), "feature records");
        FeatureFiles files = FeatureFiles.list(path, sc.hadoopConfiguration());
        String format = files.detectFormat(config.format());
        List<String> columns;
        JavaRDD<FeatureOutcome> outcomes;
        if (format.equals("csv")) {
            CsvFeatureSource.Layout layout = CsvFeatureSource.layout(files, config);
            columns = layout.columns();
            outcomes = CsvFeatureSource.read(sc, files, layout, config);
        } else {
            ParquetFeatureSource.Table table = ParquetFeatureSource.table(spark, files, config);
            columns = table.columns();
            outcomes = ParquetFeatureSource.read(files, table, config);
        }
        if (config.partitions() > 0) {
            outcomes = outcomes.repartition(config.partitions());
        }
        outcomes.setName("read features " + path).persist(StorageLevel.MEMORY_AND_DISK());
        return new FeatureCorpus(path, format, config, columns, outcomes);
    }


    public String path() {
        return path;
    }

    /** {@code csv} or {@code parquet}. */
    public String format() {
        return format;
    }

    public FeatureDataConfig config() {
        return config;
    }

    /** The feature columns, in the order of every record's values; known on the driver without a Spark action. */
    public List<String> columns() {
        return columns;
    }

    /** The usable rows. A filter over the persisted outcomes: no re-reading. */
    public JavaRDD<FeatureRecord> records() {
        return outcomes.filter(o -> o.record() != null).map(FeatureOutcome::record).setName("feature rows " + path);
    }

    /**
     * Every issue, of dropped and of repaired rows, for a quarantine listing; the report holds counts and the
     * first few.
     */
    public JavaRDD<FeatureIssue> issues() {
        return outcomes.flatMap(o -> o.issues().iterator()).setName("feature issues " + path);
    }

    /** Counts per reason and the first {@code data.rejectSampleSize} issues by id. Runs one action, once. */
    public FeatureReport rejects() {
        return report(summary());
    }

    /** Usable rows. */
    public long count() {
        return rejects().usable();
    }

    /** Distinct labels of the usable rows, sorted (numerically when all are integers); empty without labels. */
    public List<String> labels() {
        return summary().labels();
    }

    /**
     * Returns this corpus when it has at least one usable row.
     *
     * @throws IllegalArgumentException naming the path, the number read and the rejects by reason
     */
    public FeatureCorpus requireUsable() {
        FeatureReport report = rejects();
        if (report.usable() == 0) {
            String examples = report.samples().stream().limit(5).map(FeatureIssue::toString)
                    .collect(Collectors.joining("; "));
            throw new IllegalArgumentException("no usable rows in " + path + ": read " + report.read()
                    + ", all rejected (" + report.countsText() + ")" + (examples.isEmpty() ? "" : "; e.g. " + examples)
                    + (!config.imputesMissing() && (report.count(FeatureIssueReason.MISSING_VALUE) > 0
                    || report.count(FeatureIssueReason.NON_FINITE) > 0)
                    ? " (data.missing: mean keeps rows with missing or non-finite values)" : ""));
        }
        return this;
    }

    /** Drops the cached outcomes from executor memory and disk. */
    public void unpersist() {
        outcomes.unpersist(false);
    }

    private static FeatureReport report(OutcomeSummary<FeatureIssue, FeatureIssueReason> s) {
        return new FeatureReport(s.read(), s.usable(), s.counts(), s.samples());
    }

    private synchronized OutcomeSummary<FeatureIssue, FeatureIssueReason> summary() {
        if (summary == null) {
            summary = OutcomeSummary.of(outcomes, "read and validate features under " + path,
                    new OutcomeSummary<>(FeatureIssueReason.class, config.rejectSampleSize()),
                    (s, o) -> s.add(o.record() != null, o.record() == null ? null : o.record().label(), o.issues()));
            FeatureReport report = report(summary);
            if (report.counts().isEmpty()) {
                LOG.info("features {}: {}", path, report.summary());
            } else {
                LOG.warn("features {}: {}; first issues: {}", path, report.summary(), report.samples().stream()
                        .limit(5).map(FeatureIssue::toString).collect(Collectors.joining("; ")));
            }
        }
        return summary;
    }
}
