package io.pretext.data.image;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/** A real local[2] Spark session for tests, with a count of the jobs it ran. */
public final class SparkTestSession implements AutoCloseable {

    private final SparkSession spark;
    private final AtomicInteger jobs = new AtomicInteger();

    public SparkTestSession() {
        this(java.util.Map.of());
    }

    /** A session with extra Spark settings, e.g. another serializer. */
    public SparkTestSession(java.util.Map<String, String> settings) {
        SparkSession.Builder builder = SparkSession.builder();
        settings.forEach(builder::config);
        spark = builder
                .master("local[2]")
                .appName("pretext-data-pipeline-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                jobs.incrementAndGet();
            }
        });
    }

    public SparkSession spark() {
        return spark;
    }

    /** Jobs started so far, after every queued listener event has been delivered. */
    public int jobsStarted() {
        try {
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Spark listener events were not delivered in time", e);
        }
        return jobs.get();
    }

    @Override
    public void close() {
        spark.stop();
    }
}
