package io.pretext.jobs;

import io.pretext.jobs.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/** A real embedded Spark for tests: local[2], one session per test JVM, stopped at JVM exit. */
public final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {
    }

    public static synchronized SparkSession get() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSessions.create("pretext-tests", "local[2]");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
        }
        return session;
    }

    public static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }
}
