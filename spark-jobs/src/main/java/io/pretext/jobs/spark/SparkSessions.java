package io.pretext.jobs.spark;

import io.pretext.jobs.storage.HadoopPaths;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one place that makes a SparkSession. Without {@code --master} and without a master from spark-submit the
 * session is embedded ({@code local[*]}, driver on 127.0.0.1, UI off), so every command runs on one machine with
 * no setup.
 */
public final class SparkSessions {

    private SparkSessions() {
    }

    /** @param master a Spark master URL, or null to keep spark-submit's or fall back to local[*] */
    public static SparkSession create(String appName, String master) {
        return create(appName, master, java.util.Map.of());
    }

    /** As {@link #create(String, String)}, with extra Spark settings. */
    public static SparkSession create(String appName, String master, java.util.Map<String, String> settings) {
        SparkConf conf = new SparkConf().setAppName(appName);
        settings.forEach(conf::set);
        if (master != null && !master.isBlank()) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.sql.shuffle.partitions", "4");
        }
        // Model parameters travel in task results; the default 1 GiB cap is too tight for large models.
        conf.setIfMissing("spark.driver.maxResultSize", "4g");
        conf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
        // records cached and shuffled by the data pipeline serialise compactly when a run chooses Kryo
        conf.setIfMissing("spark.kryo.registrator", "io.pretext.data.DataKryoRegistrator");
        scala.Option<SparkSession> running = SparkSession.getDefaultSession();
        if (running.isDefined() && !running.get().sparkContext().isStopped()
                && !running.get().sparkContext().master().equals(conf.get("spark.master"))) {
            throw new IllegalStateException("a Spark session on " + running.get().sparkContext().master()
                    + " is already running in this JVM; stop it before using " + conf.get("spark.master"));
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        HadoopPaths.useConfiguration(spark.sparkContext().hadoopConfiguration());
        return spark;
    }

    public static boolean isLocal(SparkSession spark) {
        return spark.sparkContext().isLocal();
    }
}
