package io.pretext.jobs.preprocess;

import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.ShardReceipt;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;

/** One input partition's corpus, opened on the driver (no Spark action yet), and how it becomes shards. */
interface PartitionInput {

    /** Reads, validates, deduplicates and writes the partition's shards; the caller commits them. */
    Outcome process(Context context);

    /** Drops what the corpus keeps cached in the executors. */
    void release();

    /**
     * @param spark    the session
     * @param plan     the run's plan
     * @param work     this partition and its key
     * @param before   the dataset as committed so far (what this partition is deduplicated against)
     * @param finished receipts of this partition's shards that an interrupted run finished, by path
     */
    record Context(SparkSession spark, PreprocessPlan plan, PreprocessPlan.Work work, DatasetManifest before,
                   Map<String, ShardReceipt> finished) {

        String name() {
            return work.partition().name();
        }

        /** Record ids of a partition of a folder-partitioned input start with the folder's name. */
        String idPrefix() {
            return plan.config().input().byFolders() ? work.partition().name() + "/" : "";
        }
    }

    /**
     * @param counts  what became of the partition's inputs
     * @param shards  its shard files (receipts without a file, of shards left empty, are dropped at commit)
     * @param index   text: its document index files
     * @param rejects the first rejects (and, for text, repairs)
     * @param written shard and index files written by this run
     * @param reused  shard and index files an interrupted run had finished
     */
    record Outcome(DatasetManifest.Counts counts, List<ShardReceipt> shards, List<ShardReceipt> index,
                   List<RejectLine> rejects, int written, int reused) {
    }

    /** One line of {@code rejected.jsonl}. */
    record RejectLine(String id, String reason, String detail) {
    }
}
