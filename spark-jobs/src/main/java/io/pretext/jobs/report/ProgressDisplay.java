package io.pretext.jobs.report;

import io.pretext.jobs.train.ProgressLog;
import io.pretext.jobs.train.RoundStats;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the driver shows training progress: on a terminal a bar redrawn in place after every round; elsewhere
 * (spark-submit logs, CI, files) the fixed-format {@link ProgressLog} line at each logged round.
 */
public interface ProgressDisplay {

    /** After every round, logged or not. */
    void round(RoundStats stats, long sessionMillis);

    /** After a round that went to {@code metrics.jsonl}. */
    void logged(RoundStats stats, long sessionMillis);

    /** Runs {@code logging} (which writes log lines) so that they do not tear the display. */
    void interject(Runnable logging);

    /** Training ended: leaves the display as it is and moves to a new line. */
    void close();

    /** The bar when standard error is a terminal, the log lines otherwise. */
    static ProgressDisplay forDriver(String unit, int epochs, long startStep) {
        ProgressLog lines = new ProgressLog(unit, epochs, startStep);
        if (stderrIsTerminal()) {
            return new ProgressBar(System.err, lines, unit, epochs);
        }
        return new LogLines(lines);
    }

    /**
     * A console is attached ({@code System.console() != null}: standard input and output are terminals) and standard
     * error, where the bar is drawn, is one too. Where {@code /proc} cannot tell, the console decides.
     */
    static boolean stderrIsTerminal() {
        java.io.Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            // Java 22+ returns a console even when redirected; it says so with isTerminal()
            Method isTerminal = console.getClass().getMethod("isTerminal");
            if (!(boolean) isTerminal.invoke(console)) {
                return false;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Java 17-21: a non-null console already means a terminal
        }
        Path stderr = Path.of("/proc/self/fd/2");
        if (!Files.exists(stderr)) {
            return true;
        }
        try {
            String target = Files.readSymbolicLink(stderr).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The fixed-format log line at each logged round. */
    final class LogLines implements ProgressDisplay {
        private final ProgressLog lines;

        LogLines(ProgressLog lines) {
            this.lines = lines;
        }

        @Override
        public void round(RoundStats stats, long sessionMillis) {
        }

        @Override
        public void logged(RoundStats stats, long sessionMillis) {
            lines.log(stats, sessionMillis);
        }

        @Override
        public void interject(Runnable logging) {
            logging.run();
        }

        @Override
        public void close() {
        }
    }

    /**
     * One line redrawn in place: {@code epoch 2/20 [=====>    ] step 120/940 12.8% 812.3 images/s loss 3.4120
     * eta 4m12s}. The last line of each epoch stays on screen, above what is logged after it.
     */
    final class ProgressBar implements ProgressDisplay {
        static final int WIDTH = 28;
        private static final String ERASE_LINE = "\r\033[2K";

        private final PrintStream out;
        private final ProgressLog lines;
        private final String unit;
        private final int epochs;
        private String shown;
        private int shownEpoch = -1;
        private boolean shownEndsEpoch;

        ProgressBar(PrintStream out, ProgressLog lines, String unit, int epochs) {
            this.out = out;
            this.lines = lines;
            this.unit = unit;
            this.epochs = epochs;
        }

        /** The bar's text for a round. */
        String text(RoundStats s, long sessionMillis) {
            double done = s.totalSteps() == 0 ? 1 : Math.min(1, (double) s.step() / s.totalSteps());
            int filled = (int) Math.round(done * WIDTH);
            StringBuilder bar = new StringBuilder(WIDTH + 2).append('[');
            for (int i = 0; i < WIDTH; i++) {
                bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
            }
            bar.append(']');
            return String.format(java.util.Locale.ROOT, "epoch %d/%d %s step %d/%d %5.1f%%  %.1f %s/s  loss %.4f  "
                            + "eta %s", s.epoch() + 1, epochs, bar, s.step(), s.totalSteps(), 100 * done,
                    s.examplesPerSecond(), unit, s.loss(), lines.eta(s, sessionMillis));
        }

        @Override
        public synchronized void round(RoundStats stats, long sessionMillis) {
            if (shown != null && stats.epoch() != shownEpoch) {
                out.print('\n'); // the finished epoch's last bar stays
            }
            shown = text(stats, sessionMillis);
            shownEpoch = stats.epoch();
            shownEndsEpoch = stats.round() + 1 == stats.roundsInEpoch();
            out.print(ERASE_LINE + shown);
            out.flush();
        }

        @Override
        public void logged(RoundStats stats, long sessionMillis) {
        }

        @Override
        public synchronized void interject(Runnable logging) {
            if (shown != null && shownEndsEpoch) {
                out.print('\n'); // the epoch's last line stays above the log
                shown = null;
            } else if (shown != null) {
                out.print(ERASE_LINE);
            }
            out.flush();
            logging.run();
            if (shown != null) {
                out.print(ERASE_LINE + shown);
                out.flush();
            }
        }

        @Override
        public synchronized void close() {
            if (shown != null) {
                out.print('\n');
                out.flush();
                shown = null;
            }
        }
    }
}
