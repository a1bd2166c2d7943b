package io.pretext.jobs.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.jobs.storage.UncheckedStorageException;
import org.apache.hadoop.fs.FSDataOutputStream;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code RUN_DIR/metrics.jsonl}: one JSON object per logged round, flushed as it is written so that a crashed
 * run keeps its figures. On resume the lines up to the resumed step are kept and later ones (from the lost part
 * of the run) dropped, so the file always describes the run that produced the model.
 */
public final class MetricsLog implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FSDataOutputStream out;

    private MetricsLog(FSDataOutputStream out) {
        this.out = out;
    }

    /** Starts the file, keeping earlier lines whose step is at most {@code keepUpToStep} (-1 keeps none). */
    public static MetricsLog open(RunDirectory run, long keepUpToStep) {
        List<String> kept = new ArrayList<>();
        try {
            if (keepUpToStep >= 0 && run.exists(RunDirectory.METRICS)) {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(run.openInput(RunDirectory.METRICS),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        try {
                            if (JSON.readTree(line).path("step").asLong(Long.MAX_VALUE) <= keepUpToStep) {
                                kept.add(line);
                            }
                        } catch (IOException torn) {
                            // a line cut by a crash: dropped
                        }
                    }
                }
            }
            FSDataOutputStream out = run.fileSystem().create(run.path(RunDirectory.METRICS), true);
            for (String line : kept) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.hflush();
            return new MetricsLog(out);
        } catch (IOException e) {
            throw new UncheckedStorageException("cannot open " + run.path(RunDirectory.METRICS), e);
        }
    }

    public synchronized void write(RoundStats s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", java.time.Instant.now().toString());
        n.put("step", s.step());
        n.put("epoch", s.epoch() + 1);
        n.put("round", s.round() + 1);
        n.put("loss", s.loss());
        n.put("lr", s.learningRate());
        n.put("examplesPerSec", round(s.examplesPerSecond()));
        n.put("examplesPerSecPerWorker", round(s.examplesPerSecond() / Math.max(1, s.workers())));
        n.put("examples", s.examples());
        n.put("workers", s.workers());
        n.put("roundMs", s.wallMillis());
        n.put("computeMs", s.computeMillis());
        n.put("taskMs", s.taskMillis());
        n.put("dataWaitMs", s.dataWaitMillis());
        n.put("averagingMs", s.averagingMillis());
        n.put("averagingShare", round(s.averagingShare()));
        n.put("elapsedMs", s.elapsedMillis());
        n.put("failedTasks", s.failedTasks());
        n.put("lostExecutors", s.lostExecutors());
        try {
            out.write((JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
            out.hflush();
        } catch (IOException e) {
            throw new UncheckedStorageException("cannot append to metrics.jsonl", e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedStorageException("cannot close metrics.jsonl", e);
        }
    }
}
