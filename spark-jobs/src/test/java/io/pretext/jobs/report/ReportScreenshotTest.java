package io.pretext.jobs.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A real browser (Debian's Chromium, headless) renders the report of a real run: where it is installed. */
class ReportScreenshotTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final int WIDTH = 1400;
    static final int HEIGHT = 3000;

    @Test
    void chromiumRendersTheReportWithItsStylesAndPictures(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed (apt-get install chromium)");
        Path report = ReportRuns.simclr().resolve(RunReport.FILE);
        Path shot = tmp.resolve("report.png");
        Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + tmp.resolve("profile"), "--screenshot=" + shot,
                "--window-size=" + WIDTH + "," + HEIGHT, report.toUri().toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertTrue(chromium.waitFor(3, TimeUnit.MINUTES), "Chromium did not finish");
        assertEquals(0, chromium.exitValue(), Files.readString(tmp.resolve("chromium.log")));

        BufferedImage image = ImageIO.read(shot.toFile());
        assertNotNull(image, "the screenshot is not a PNG");
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        // the header's dark band is drawn from the page's own style sheet
        int header = image.getRGB(20, 20) & 0xFFFFFF;
        assertEquals(0x1f2a37, header, Integer.toHexString(header));
        Set<Integer> colours = new HashSet<>();
        long ink = 0;
        for (int y = 0; y < HEIGHT; y += 3) {
            for (int x = 0; x < WIDTH; x += 3) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                int grey = ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3;
                if (grey < 200) {
                    ink++;
                }
            }
        }
        long sampled = (long) (HEIGHT / 3) * (WIDTH / 3);
        assertTrue(colours.size() > 200, "a page of text, charts and pictures has many colours: " + colours.size());
        assertTrue(ink > sampled / 50, "too little drawn: " + ink + " dark samples of " + sampled);
    }
}
