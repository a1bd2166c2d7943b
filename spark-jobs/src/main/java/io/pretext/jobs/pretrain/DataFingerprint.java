package io.pretext.jobs.pretrain;

import io.pretext.data.shard.Sharding;
import org.apache.spark.api.java.JavaRDD;

/**
 * A cheap identity of a training set: its record count and an order-independent digest of its record ids
 * (sum of 64-bit id hashes). Checkpoints carry it, so a resume on different data is caught.
 */
public final class DataFingerprint {

    private DataFingerprint() {
    }

    public static String of(JavaRDD<String> ids, long count) {
        ids.context().setJobDescription("fingerprint the training data: digest of " + count + " record ids, "
                + "checked on resume");
        long sum = ids.map(id -> Sharding.orderKey(id, 0L, 0)).fold(0L, Long::sum);
        return count + ":" + Long.toHexString(sum);
    }
}
