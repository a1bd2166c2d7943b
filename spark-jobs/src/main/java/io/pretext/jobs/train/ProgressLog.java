package io.pretext.jobs.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/** The driver's fixed-format progress line, with throughput and an ETA from the run's average step time. */
public final class ProgressLog {

    private static final Logger log = LoggerFactory.getLogger("pretext.progress");

    private final String unit;
    private final int epochs;
    private final long startStep;

    /** @param unit what an example is called in the line, e.g. images */
    public ProgressLog(String unit, int epochs, long startStep) {
        this.unit = unit;
        this.epochs = epochs;
        this.startStep = startStep;
    }

    public String line(RoundStats s, long sessionMillis) {
        String faults = s.failedTasks() > 0 || s.lostExecutors() > 0
                ? String.format(Locale.ROOT, " retried-tasks=%d lost-executors=%d", s.failedTasks(), s.lostExecutors())
                : "";
        return String.format(Locale.ROOT,
                "step=%d/%d epoch=%d/%d loss=%.4f lr=%.3g %s/s=%.1f averaging=%.1f%% data-wait=%dms eta=%s%s",
                s.step(), s.totalSteps(), s.epoch() + 1, epochs, s.loss(), s.learningRate(), unit,
                s.examplesPerSecond(), 100 * s.averagingShare(), s.dataWaitMillis(), eta(s, sessionMillis), faults);
    }

    /** Time left at this session's average step time so far. */
    public String eta(RoundStats s, long sessionMillis) {
        long stepsThisSession = Math.max(1, s.step() - startStep);
        double msPerStep = (double) sessionMillis / stepsThisSession;
        return duration((long) (msPerStep * Math.max(0, s.totalSteps() - s.step())));
    }

    public void log(RoundStats s, long sessionMillis) {
        log.info(line(s, sessionMillis));
    }

    public static String duration(long millis) {
        long s = millis / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
}
