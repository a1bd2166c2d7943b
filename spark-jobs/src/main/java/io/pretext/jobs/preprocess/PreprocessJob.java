package io.pretext.jobs.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.data.dataset.DatasetLayout;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.ShardReceipt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Runs a {@link PreprocessPlan}: clears what an earlier run left uncommitted and will not reuse, opens every partition
 * to do (so that a bad partition is reported before any work), then processes and commits them one by one. A
 * partition is committed by writing {@code rejected.jsonl} and then the manifest, each by an atomic replace; its
 * files were all in place before.
 */
public final class PreprocessJob {

    private static final Logger log = LoggerFactory.getLogger(PreprocessJob.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private PreprocessJob() {
    }

    /** A plan with nothing to do, summarised without Spark. */
    public static PreprocessSummary upToDate(PreprocessPlan plan) {
        DatasetManifest m = plan.manifest();
        log.info("dataset {} is up to date: {} partition(s) with the same input and settings, nothing to do",
                plan.layout(), plan.upToDate().size());
        return new PreprocessSummary(plan.layout().root(), m.kind(), List.of(), plan.upToDate(), plan.missing(), 0, 0,
                DatasetManifest.Counts.zero(), m.counts(), m.shards().size(), 0);
    }

    public static PreprocessSummary run(SparkSession spark, PreprocessPlan plan) {
        long started = System.currentTimeMillis();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        DatasetLayout layout = plan.layout();
        if (!plan.missing().isEmpty()) {
            log.warn("partitions {} are in the dataset but no longer under {}: they stay in the dataset",
                    plan.missing(), plan.input());
        }
        clean(layout, plan.manifest(), plan.todoKeys(), conf);

        List<PartitionInput> inputs = new ArrayList<>();
        for (PreprocessPlan.Work w : plan.todo()) {
            String path = w.partition().path();
            inputs.add(plan.config().isImage() ? ImagePartition.open(spark, path, plan.config())
                    : TextPartition.open(spark, path, plan.config()));
        }

        DatasetManifest manifest = plan.manifest();
        DatasetManifest.Counts run = DatasetManifest.Counts.zero();
        int written = 0;
        int reused = 0;
        List<String> processed = new ArrayList<>();
        for (int i = 0; i < plan.todo().size(); i++) {
            PreprocessPlan.Work work = plan.todo().get(i);
            long partitionStart = System.currentTimeMillis();
            PartitionInput.Context context = new PartitionInput.Context(spark, plan, work, manifest,
                    ShardTasks.finished(layout, work.key(), conf));
            if (!context.finished().isEmpty()) {
                log.info("partition {}: {} file(s) finished by an interrupted run are kept", work.partition().name(),
                        context.finished().size());
            }
            PartitionInput.Outcome outcome = inputs.get(i).process(context);
            manifest = commit(layout, manifest, work, outcome, conf);
            inputs.get(i).release();
            run = run.plus(outcome.counts());
            written += outcome.written();
            reused += outcome.reused();
            processed.add(work.partition().name());
            log.info(describe(work, outcome, System.currentTimeMillis() - partitionStart));
        }
        if (manifest.counts().records() == 0) {
            log.warn("dataset {} holds no records: every input was rejected or a duplicate", layout);
        }
        return new PreprocessSummary(layout.root(), manifest.kind(), processed, plan.upToDate(), plan.missing(),
                written, reused, run, manifest.counts(), manifest.shards().size(),
                System.currentTimeMillis() - started);
    }

    private static String describe(PreprocessPlan.Work work, PartitionInput.Outcome o, long millis) {
        DatasetManifest.Counts c = o.counts();
        long bytes = o.shards().stream().mapToLong(ShardReceipt::bytes).sum();
        return String.format(Locale.ROOT, "partition %s committed: read %d, rejected %d (%s), duplicates exact %d, "
                        + "of earlier partitions %d, near %d, kept %d, %d records in %d shard(s) of %.1f MB "
                        + "(%d written, %d kept from an interrupted run), %.1f s", work.partition().name(), c.read(),
                c.rejectedTotal(), c.rejected().isEmpty() ? "none" : c.rejected().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")),
                c.duplicates().exact(), c.duplicates().existing(), c.duplicates().near(), c.kept(), c.records(),
                o.shards().stream().filter(ShardReceipt::hasFile).count(), bytes / 1e6, o.written(), o.reused(),
                millis / 1000.0);
    }

    /** Writes rejected.jsonl, then the manifest listing the partition; then drops its receipts. */
    static DatasetManifest commit(DatasetLayout layout, DatasetManifest manifest, PreprocessPlan.Work work,
                                  PartitionInput.Outcome outcome, Configuration conf) {
        String name = work.partition().name();
        String now = Instant.now().toString();
        DatasetManifest.Partition entry = new DatasetManifest.Partition(name, work.key(), work.partition().files(),
                work.partition().bytes(), work.partition().fingerprint(), outcome.counts(), now);
        DatasetManifest next = manifest.plus(entry, files(outcome.shards(), name), files(outcome.index(), name), now);
        layout.writeString(DatasetLayout.REJECTED, rejectedLines(layout, manifest, name, outcome, conf), conf);
        layout.writeString(DatasetLayout.MANIFEST, next.toJson(), conf);
        FileSystem fs = layout.fileSystem(conf);
        DatasetLayout.deleteQuietly(fs, layout.path(DatasetLayout.PENDING + "/" + work.key()));
        return next;
    }

    private static List<DatasetManifest.Shard> files(List<ShardReceipt> receipts, String partition) {
        return receipts.stream().filter(ShardReceipt::hasFile).sorted(Comparator.comparing(ShardReceipt::path))
                .map(r -> r.shard(partition)).toList();
    }

    /** The lines of committed partitions (an uncommitted partition's are dropped), then this partition's. */
    private static String rejectedLines(DatasetLayout layout, DatasetManifest manifest, String partition,
                                        PartitionInput.Outcome outcome, Configuration conf) {
        Set<String> committed = new TreeSet<>();
        manifest.partitions().forEach(p -> committed.add(p.name()));
        StringBuilder out = new StringBuilder();
        String existing = layout.readString(DatasetLayout.REJECTED, conf);
        if (existing != null) {
            for (String line : existing.split("\n")) {
                if (!line.isBlank() && committed.contains(partitionOf(line))) {
                    out.append(line).append('\n');
                }
            }
        }
        for (PartitionInput.RejectLine r : outcome.rejects()) {
            ObjectNode n = JSON.createObjectNode();
            n.put("partition", partition);
            n.put("id", r.id());
            n.put("reason", r.reason());
            n.put("detail", r.detail());
            out.append(n).append('\n');
        }
        return out.toString();
    }

    private static String partitionOf(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n.path("partition").asText();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Deletes what no committed or pending partition owns: {@code _tmp/}, receipts of partitions not to be done now,
     * and shard or index files neither listed in the manifest nor named by a partition to do.
     */
    static void clean(DatasetLayout layout, DatasetManifest manifest, Set<String> todoKeys, Configuration conf) {
        FileSystem fs = layout.fileSystem(conf);
        Set<String> listed = new TreeSet<>();
        manifest.shards().forEach(s -> listed.add(s.path()));
        manifest.index().forEach(s -> listed.add(s.path()));
        try {
            DatasetLayout.deleteQuietly(fs, layout.path(DatasetLayout.TMP));
            for (FileStatus f : list(fs, layout.path(DatasetLayout.PENDING))) {
                if (!todoKeys.contains(f.getPath().getName())) {
                    DatasetLayout.deleteQuietly(fs, f.getPath());
                }
            }
            for (String folder : List.of(DatasetLayout.SHARDS, DatasetLayout.INDEX)) {
                for (FileStatus f : list(fs, layout.path(folder))) {
                    String name = f.getPath().getName();
                    boolean pending = todoKeys.stream().anyMatch(k -> name.startsWith(k + "-"));
                    if (!listed.contains(folder + "/" + name) && !pending) {
                        log.info("removing {}, left by an earlier run and listed nowhere", f.getPath());
                        DatasetLayout.deleteQuietly(fs, f.getPath());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + layout + ": " + e.getMessage(), e);
        }
    }

    private static List<FileStatus> list(FileSystem fs, Path dir) throws IOException {
        return fs.exists(dir) ? List.of(fs.listStatus(dir)) : List.of();
    }
}
