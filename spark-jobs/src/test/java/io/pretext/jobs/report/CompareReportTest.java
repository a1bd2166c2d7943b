package io.pretext.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretext.jobs.Pretext;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pretext compare} on real runs: two SimCLR runs with different settings, and two model families. */
class CompareReportTest {

    @TempDir
    Path out;

    private Document compare(Path... runs) throws IOException {
        Path page = out.resolve("compare.html");
        String[] args = new String[runs.length + 3];
        args[0] = "compare";
        for (int i = 0; i < runs.length; i++) {
            args[i + 1] = runs[i].toString();
        }
        args[runs.length + 1] = "--out";
        args[runs.length + 2] = page.toString();
        assertEquals(0, Pretext.run(args));
        return Jsoup.parse(page.toFile(), "UTF-8");
    }

    private static double lastLoss(Path run) throws IOException {
        List<JsonNode> rows = RunReportTest.metrics(run);
        return rows.get(rows.size() - 1).get("loss").asDouble();
    }

    @Test
    void twoRunsWithDifferentSettingsShowTheirLossesAndTheSettingsThatDiffer() throws IOException {
        Path a = ReportRuns.simclr();
        Path b = ReportRuns.simclrOther();
        Document page = compare(a, b);

        for (Path run : List.of(a, b)) {
            Element row = page.selectFirst("table.runs tr[data-run=" + run.getFileName() + "]");
            assertNotNull(row, run.getFileName().toString());
            assertEquals(lastLoss(run), RunReportTest.number(row.selectFirst("[data-key=final-loss]")), 5e-5);
        }
        Map<String, List<String>> differing = Map.of(
                "model.temperature", List.of("0.5", "0.2"),
                "optimizer.learningRate", List.of("0.003", "0.001"),
                "train.epochs", List.of("2", "1"));
        differing.forEach((key, values) -> {
            Element row = page.selectFirst("table.settings tr[data-setting=" + key + "]");
            assertNotNull(row, key);
            assertEquals(values, row.select("td").stream().skip(1).map(Element::text).toList(), key);
        });
        assertTrue(page.selectFirst("table.settings tr[data-setting=model.encoder]") == null,
                "an identical setting is listed as different");
        assertEquals(4, page.select("section#curves img").size());
        for (Element img : page.select("img")) {
            RunReportTest.png(img.attr("src"));
        }
    }

    @Test
    void runsOfDifferentModelFamiliesEachShowWhatTheyHave() throws IOException {
        Path simclr = ReportRuns.simclr();
        Path regression = ReportRuns.regression();
        Document page = compare(simclr, regression);

        assertEquals("simclr, small-cnn", page.selectFirst("table.runs tr[data-run=simclr-a] td:eq(1)").text());
        assertEquals("regression", page.selectFirst("table.runs tr[data-run=regression] td:eq(1)").text());
        assertEquals(lastLoss(regression),
                RunReportTest.number(page.selectFirst("table.runs tr[data-run=regression] [data-key=final-loss]")),
                5e-5);
        assertEquals(Fmt.NONE, page.selectFirst("table.evals tr[data-run=regression] td[data-eval=knn]").text());
        assertTrue(page.selectFirst("table.evals tr[data-run=simclr-a] td[data-eval=knn]").text().matches(
                "\\d\\.\\d{4} \\(\\d\\.\\d{4}\\)"));
        Element predictions = page.selectFirst("section#sections div[data-run=regression] table");
        assertNotNull(predictions, "the regression run's own table");
        assertEquals(RegressionSpec.SHOWN, predictions.select("tbody tr").size());
        assertTrue(page.select("section#sections div[data-run=regression]").text().contains("no such section"));
        assertEquals(1, page.select("section#sections div[data-run=simclr-a] img").size());
    }

    @Test
    void refusesADirectoryThatIsNotARun(@TempDir Path notARun) {
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), "compare", ReportRuns.regression().toString(),
                notARun.toString(), "--out", out.resolve("x.html").toString()));
        assertTrue(err.toString().contains("is not a Pretext run directory"), err.toString());
    }

    @Test
    void needsTwoRuns() {
        assertEquals(2, Pretext.run(new PrintWriter(new StringWriter(), true), "compare",
                ReportRuns.regression().toString()));
    }
}
