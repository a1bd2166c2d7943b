package io.pretext.jobs.report;

import io.pretext.jobs.train.ProgressLog;
import io.pretext.jobs.train.RoundStats;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress bar drawn in place on a terminal, and the log lines everywhere else. */
class ProgressDisplayTest {

    private static final String ERASE = "\r\033[2K";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ProgressDisplay.ProgressBar bar = new ProgressDisplay.ProgressBar(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), new ProgressLog("images", 2, 0), "images", 2);

    /** A round of a 2-epoch run of 12 steps, 6 rounds of 1 step per epoch. */
    private static RoundStats round(long step, int epoch, double loss) {
        int round = (int) ((step - 1) % 6);
        return new RoundStats(step, 12, epoch, round, 6, loss, 1e-3, 32, 2, 1000, 800, 900, 10, 100, 32.5,
                step * 1000, 0, 0);
    }

    private String screen() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void barShowsEpochStepThroughputLossAndEta() {
        String text = bar.text(round(3, 0, 3.41234), 3000);
        assertTrue(text.startsWith("epoch 1/2 [=======>"), text);
        for (String part : new String[]{"step 3/12", "25.0%", "32.5 images/s", "loss 3.4123", "eta 9s"}) {
            assertTrue(text.contains(part), part + " in " + text);
        }
    }

    @Test
    void roundsOfOneEpochRedrawOneLineInPlace() {
        bar.round(round(1, 0, 3.5), 1000);
        bar.round(round(2, 0, 3.4), 2000);
        String screen = screen();
        assertFalse(screen.contains("\n"), screen);
        assertEquals(2, screen.split("\r", -1).length - 1);
        assertTrue(screen.endsWith(bar.text(round(2, 0, 3.4), 2000)));
    }

    @Test
    void theLastLineOfAnEpochStaysWhenTheNextBegins() {
        bar.round(round(6, 0, 3.0), 6000);
        bar.round(round(7, 1, 2.9), 7000);
        String screen = screen();
        assertEquals(1, screen.chars().filter(c -> c == '\n').count());
        assertTrue(screen.contains(bar.text(round(6, 0, 3.0), 6000) + "\n" + ERASE + "epoch 2/2"), screen);
    }

    @Test
    void logLinesInterjectedAreWrittenOnAClearedLineAndTheBarComesBack() {
        bar.round(round(1, 0, 3.5), 1000);
        String shown = bar.text(round(1, 0, 3.5), 1000);
        bar.interject(() -> bytes.writeBytes("checkpoint written\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(screen().endsWith(ERASE + "checkpoint written\n" + ERASE + shown), screen());
    }

    @Test
    void anEpochsLastLineStaysAboveWhatIsLoggedNext() {
        bar.round(round(6, 0, 3.0), 6000);
        String last = bar.text(round(6, 0, 3.0), 6000);
        bar.interject(() -> bytes.writeBytes("epoch 2: shard sizes [48, 48]\n".getBytes(StandardCharsets.UTF_8)));
        bar.round(round(7, 1, 2.9), 7000);
        assertTrue(screen().endsWith(last + "\nepoch 2: shard sizes [48, 48]\n" + ERASE
                + bar.text(round(7, 1, 2.9), 7000)), screen());
    }

    @Test
    void closeLeavesTheBarAndEndsItsLine() {
        bar.round(round(12, 1, 2.0), 12000);
        bar.close();
        assertTrue(screen().endsWith("\n"));
        bar.close();
        assertEquals(1, screen().chars().filter(c -> c == '\n').count(), "a second close adds nothing");
    }

    @Test
    void withoutATerminalTheDriverKeepsTheLogLines() {
        // surefire's forked JVM reads and writes pipes: no console
        assertInstanceOf(ProgressDisplay.LogLines.class, ProgressDisplay.forDriver("images", 2, 0));
    }
}
