package io.pretext.jobs.report;

import io.pretext.jobs.MiniHdfs;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.storage.HadoopPaths;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Reports of runs kept on a real HDFS are read and written there. */
class ReportOnHdfsTest {

    @TempDir
    static java.nio.file.Path dir;
    static MiniHdfs hdfs;
    static String runs;

    @BeforeAll
    static void copyRunsToHdfs() throws IOException {
        hdfs = new MiniHdfs(dir.resolve("hdfs"));
        runs = hdfs.uri() + "/runs";
        FileSystem fs = HadoopPaths.fileSystem(new Path(runs));
        fs.copyFromLocalFile(new Path(ReportRuns.simclr().toUri()), new Path(runs + "/simclr-a"));
        fs.copyFromLocalFile(new Path(ReportRuns.regression().toUri()), new Path(runs + "/regression"));
        fs.delete(new Path(runs + "/simclr-a/" + RunReport.FILE), false);
    }

    @AfterAll
    static void stop() {
        hdfs.close();
    }

    private static Document read(String uri) throws IOException {
        Path path = new Path(uri);
        try (InputStream in = HadoopPaths.fileSystem(path).open(path)) {
            return Jsoup.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void reportIsRedrawnInARunDirectoryOnHdfs() throws IOException {
        assertEquals(0, Pretext.run("report", runs + "/simclr-a"));
        Document page = read(runs + "/simclr-a/" + RunReport.FILE);
        Document local = Jsoup.parse(ReportRuns.simclr().resolve(RunReport.FILE).toFile(), "UTF-8");
        assertEquals(local.selectFirst("[data-key=final-loss]").text(),
                page.selectFirst("[data-key=final-loss]").text());
        assertEquals(local.select("tr[data-eval]").text(), page.select("tr[data-eval]").text());
        assertFalse(page.select("section#section-augmentations img").isEmpty());
    }

    @Test
    void compareReadsRunsOnHdfsAndWritesThere() throws IOException {
        String out = runs + "/pages/compare.html";
        assertEquals(0, Pretext.run("compare", runs + "/simclr-a", runs + "/regression", "--out", out));
        Document page = read(out);
        assertEquals(2, page.select("table.runs tbody tr").size());
        assertEquals("hdfs", new Path(page.selectFirst("table.runs tr[data-run=regression] .mono").text()).toUri()
                .getScheme());
    }
}
