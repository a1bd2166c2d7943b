package io.pretext.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.augment.SimClrAugmentConfig;
import io.pretext.data.augment.SimClrAugmenter;
import io.pretext.data.image.ImageRecord;
import io.pretext.jobs.LocalSpark;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.jobs.train.TrainingConfig;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report of a real SimCLR run (two workers, checkpoints, rejected inputs, linear probe and kNN). */
class RunReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path run;
    static Document page;

    @BeforeAll
    static void readReport() throws IOException {
        run = ReportRuns.simclr();
        page = Jsoup.parse(run.resolve(RunReport.FILE).toFile(), "UTF-8");
    }

    static List<JsonNode> metrics(Path dir) throws IOException {
        List<JsonNode> rows = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    static BufferedImage png(String dataUri) throws IOException {
        assertTrue(dataUri.startsWith("data:image/png;base64,"), dataUri.substring(0, Math.min(40, dataUri.length())));
        byte[] bytes = Base64.getDecoder().decode(dataUri.substring("data:image/png;base64,".length()));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, "not a PNG ImageIO can read");
        return image;
    }

    static double number(Element cell) {
        return Double.parseDouble(cell.text().replace(",", ""));
    }

    @Test
    void everyPictureIsAnEmbeddedPngOfSaneSize() throws IOException {
        Elements images = page.select("img");
        assertTrue(images.size() >= 6, "4 curves, augmentations, evaluation; got " + images.size());
        for (Element img : images) {
            BufferedImage image = png(img.attr("src"));
            assertTrue(image.getWidth() >= 200 && image.getWidth() <= 4000, "width " + image.getWidth());
            assertTrue(image.getHeight() >= 150 && image.getHeight() <= 4000, "height " + image.getHeight());
            assertFalse(img.attr("alt").isBlank());
        }
    }

    @Test
    void pageLoadsNothingFromElsewhere() {
        assertTrue(page.select("script, link, iframe, object, embed").isEmpty());
        for (Element e : page.select("[src], [href]")) {
            String ref = e.hasAttr("src") ? e.attr("src") : e.attr("href");
            assertTrue(ref.startsWith("data:image/png;base64,") || ref.startsWith("#"), ref);
        }
        assertFalse(page.select("style").html().contains("url("));
    }

    @Test
    void finalLossIsTheLastLoggedRoundsLoss() throws IOException {
        List<JsonNode> rows = metrics(run);
        double last = rows.get(rows.size() - 1).get("loss").asDouble();
        assertEquals(last, number(page.selectFirst("[data-key=final-loss]")), 5e-5);
        long steps = JSON.readTree(run.resolve("summary.json").toFile()).get("steps").asLong();
        assertEquals(steps, (long) number(page.selectFirst(".tile [data-key=steps]")));
    }

    @Test
    void probeAccuraciesStandNextToTheirRandomInitBaselines() throws IOException {
        for (String probe : List.of("linear-probe", "knn")) {
            JsonNode eval = JSON.readTree(run.resolve("eval").resolve(probe + ".json").toFile());
            Element row = page.selectFirst("tr[data-eval=" + probe + "][data-metric=accuracy]");
            assertNotNull(row, probe);
            assertEquals(eval.get("accuracy").asDouble(), number(row.selectFirst("[data-key=pretrained]")), 5e-5);
            assertEquals(eval.get("randomInitAccuracy").asDouble(), number(row.selectFirst("[data-key=baseline]")),
                    5e-5);
        }
    }

    @Test
    void rejectedInputsAreCountedByReasonAndNamedAsText() throws IOException {
        JsonNode rejected = JSON.readTree(run.resolve("summary.json").toFile()).get("rejected");
        assertEquals(2, rejected.size());
        rejected.fields().forEachRemaining(e -> {
            Element row = page.selectFirst("tr[data-reason=" + e.getKey() + "]");
            assertNotNull(row, e.getKey());
            assertEquals(e.getValue().asLong(), (long) number(row.select("td").get(1)));
        });
        Element markup = page.selectFirst("tr[data-reason=not_an_image]");
        assertTrue(markup.text().contains(ReportRuns.MARKUP_NAME), markup.text());
        assertTrue(page.select("img[onerror]").isEmpty(), "an input's name became markup");
    }

    @Test
    void shardTableListsEveryEpochWithAllUsableRecords() throws IOException {
        long used = JSON.readTree(run.resolve("summary.json").toFile()).get("recordsUsed").asLong();
        int epochs = 0;
        for (Element row : page.select("table.shards tbody tr")) {
            Elements cells = row.select("td");
            String[] range = cells.get(0).text().split("–"); // consecutive alike epochs share a row
            epochs += Integer.parseInt(range[range.length - 1]) - Integer.parseInt(range[0]) + 1;
            assertEquals(2, (long) number(cells.get(1)), "shards = workers");
            assertEquals(used, (long) (number(cells.get(2)) + number(cells.get(3))), row.text());
        }
        assertEquals(2, epochs);
    }

    @Test
    void augmentationGridShowsTrainingImagesNextToTheViewsEpochOneTrainsOn() throws IOException {
        BufferedImage grid = ImageIO.read(run.resolve("report").resolve("augmentations.png").toFile());
        Element section = page.selectFirst("section#section-augmentations");
        assertNotNull(section);
        assertArrayEquals(Files.readAllBytes(run.resolve("report").resolve("augmentations.png")),
                Base64.getDecoder().decode(section.selectFirst("img").attr("src").substring(22)));
        Elements rows = section.select("table tbody tr");
        assertEquals(9, rows.size());
        ImageGrid layout = ImageGrid.forImages(28, 28, 9, 3, 112);
        int scale = layout.cellWidth() / 28;
        SimClrAugmenter augmenter = new SimClrAugmenter(SimClrAugmentConfig.defaults(), 1, 28, 28);
        long seed = TrainingConfig.defaults().seed();
        for (Element row : rows) {
            Elements cells = row.select("td");
            int gridRow = Integer.parseInt(cells.get(0).text()) - 1;
            int group = Integer.parseInt(cells.get(1).text()) - 1;
            String id = cells.get(2).text();
            BufferedImage source = ImageIO.read(ReportRuns.images().resolve(id).toFile());
            byte[] pixels = new byte[28 * 28];
            source.getRaster().getDataElements(0, 0, 28, 28, pixels);
            ImageRecord record = new ImageRecord(id, cells.get(3).text(), 1, 28, 28, pixels);
            float[] views = new float[2 * augmenter.viewSize()];
            augmenter.view(record, SimClrAugmenter.viewSeed(seed, 0, id, 0), views, 0);
            augmenter.view(record, SimClrAugmenter.viewSeed(seed, 0, id, 1), views, augmenter.viewSize());
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int input = pixels[y * 28 + x] & 0xFF;
                    int[] expected = {input, ImageGrid.toByte(views[y * 28 + x]),
                        ImageGrid.toByte(views[augmenter.viewSize() + y * 28 + x])};
                    for (int k = 0; k < 3; k++) {
                        int column = 3 * group + k;
                        int rgb = grid.getRGB(layout.x(column) + x * scale + scale / 2,
                                layout.y(gridRow) + y * scale + scale / 2);
                        assertEquals(expected[k], rgb & 0xFF, id + " cell " + k + " at " + x + "," + y);
                    }
                }
            }
        }
    }

    @Test
    void reportCommandRegeneratesTheReport() throws IOException {
        Files.delete(run.resolve(RunReport.FILE));
        assertEquals(0, Pretext.run("report", run.toString()));
        Document again = Jsoup.parse(run.resolve(RunReport.FILE).toFile(), "UTF-8");
        assertEquals(page.selectFirst("[data-key=final-loss]").text(),
                again.selectFirst("[data-key=final-loss]").text());
        assertEquals(page.select("tr[data-eval]").text(), again.select("tr[data-eval]").text());
    }

    @Test
    void reportOnADirectoryThatIsNotARunExitsWith2(@TempDir Path notARun) throws IOException {
        Files.writeString(notARun.resolve("notes.txt"), "hello");
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), "report", notARun.toString()));
        assertTrue(err.toString().contains("is not a Pretext run directory"), err.toString());
        assertFalse(Files.exists(notARun.resolve(RunReport.FILE)));
    }

    @Test
    void reportOnAMissingDirectoryExitsWith2(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), "report", dir.resolve("nothing").toString()));
        assertTrue(err.toString().contains("does not exist"), err.toString());
    }

    @Test
    void aResumedRunKeepsEarlierCheckpointsAndRedrawsAtTheNext(@TempDir Path copy) throws IOException {
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(run.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Files.delete(copy.resolve(RunReport.FILE));
        RunDirectory dir = RunDirectory.open(copy.toString());
        RunFacts before = RunFacts.read(dir);
        assertEquals(List.of(2L, 4L), before.checkpoints().stream().map(RunFacts.Checkpoint::step).toList());

        RunReporter reporter = RunReporter.start(LocalSpark.get(), dir, before.setup(), "step-000000002", 2, 0);
        reporter.checkpoint("step-000000004", 4);

        RunFacts after = RunFacts.read(dir);
        assertEquals(List.of(2L, 4L), after.checkpoints().stream().map(RunFacts.Checkpoint::step).toList());
        assertEquals("step-000000002", after.resumedFrom());
        Document redrawn = Jsoup.parse(copy.resolve(RunReport.FILE).toFile(), "UTF-8");
        assertTrue(redrawn.selectFirst("tr[data-key=started]").text().contains("resumed from step-000000002"));
    }

    @Test
    void whatRanNamesTheModelTheRuntimeAndTheVersions() throws IOException {
        JsonNode manifest = JSON.readTree(run.resolve("manifest.json").toFile());
        Map<String, String> expected = Map.of(
                "model", "simclr, small-cnn",
                "workers", "2 worker(s)",
                "spark", "local[2]",
                "nd4j", "backend=CPU",
                "versions", "Spark " + manifest.get("sparkVersion").asText());
        expected.forEach((key, text) -> {
            Element row = page.selectFirst("section#what-ran tr[data-key=" + key + "]");
            assertNotNull(row, key);
            assertTrue(row.text().contains(text), key + ": " + row.text());
        });
        long parameters = JSON.readTree(run.resolve("summary.json").toFile()).get("parameters").asLong();
        assertEquals(parameters, (long) number(page.selectFirst("section#what-ran tr[data-key=parameters] td")));
        assertEquals(Files.readString(run.resolve("config.yaml")), page.selectFirst("section#configuration pre")
                .wholeText());
    }
}
