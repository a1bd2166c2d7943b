package io.pretext.jobs.cli;

import io.pretext.jobs.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Where Spark runs: options every command accepts. */
public final class SparkOptions {

    @Option(names = "--master",
            description = "Spark master URL (default: spark-submit's, else local[*])")
    String master;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE",
            description = "a Spark setting, repeatable (e.g. spark.executor.memory=8g)")
    List<String> conf = new ArrayList<>();

    /** Starts the session; call only after configs and paths are validated. */
    public SparkSession session(String appName) {
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--spark-conf " + kv + " must be KEY=VALUE");
            }
            System.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return SparkSessions.create(appName, master);
    }
}
