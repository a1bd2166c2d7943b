package io.pretext.data.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.image.SparkTestSession;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCorpusTest {

    private static SparkTestSession session;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        session = new SparkTestSession();
    }

    @AfterAll
    static void stopSpark() {
        session.close();
    }

    /** A CSV with good rows and one or two of every kind of bad one; the comment is each row's verdict. */
    private static final String[] BAD_CSV = {
        "id,a,b,c,label",
        "r1,1,2,3,normal",              // ok
        "r2,4,5,6,normal",              // ok
        "r3,,7,8,normal",               // missing_value
        "r4,NaN,1,2,anomaly",           // non_finite
        "r5,abc,1,2,normal",            // unparseable
        "r6,1,2",                       // malformed_row (3 fields)
        "r7,\"1\", 2 ,3,normal",        // ok: quoted and padded numbers
        "r8,1e2,-2.5,+3,anomaly",       // ok
        "r9,1.5f,2,3,normal",           // unparseable (Java float suffix)
        "r10,inf,NA,1,normal",          // non_finite and missing_value
        "r11,1e39,1,1,normal",          // non_finite (beyond float)
        "",                             // blank: not a row
        "r12,\"1,5\",2,3,normal",       // unparseable (decimal comma)
        "r13,\"unclosed,1,2,3",         // malformed_row (quote)
    };

    private Path write(String name, String... lines) throws IOException {
        Path file = tmp.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** The id a row gets without an id column: file name and the byte offset of its line. */
    private static String positionalId(String file, String[] lines, int index) {
        int offset = 0;
        for (int i = 0; i < index; i++) {
            offset += lines[i].getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return file + "@" + offset;
    }

    private static Map<String, FeatureRecord> byId(FeatureCorpus corpus) {
        Map<String, FeatureRecord> out = new TreeMap<>();
        corpus.records().collect().forEach(r -> out.put(r.id(), r));
        return out;
    }

    @Test
    void csvWithBadRowsIsCountedExactlyUnderSkip() throws IOException {
        write("bad/data.csv", BAD_CSV);

        FeatureCorpus corpus = FeatureCorpus.open(session.spark(), tmp.resolve("bad").toString(),
                FeatureDataConfig.defaults());

        FeatureReport report = corpus.rejects();
        assertEquals(13, report.read());
        assertEquals(4, report.usable());
        assertEquals(Map.of(FeatureIssueReason.MALFORMED_ROW, 2L, FeatureIssueReason.UNPARSEABLE, 3L,
                FeatureIssueReason.NON_FINITE, 3L, FeatureIssueReason.MISSING_VALUE, 2L), report.counts());
        assertEquals(List.of("r1", "r2", "r7", "r8"), new ArrayList<>(byId(corpus).keySet()));
        assertArrayEquals(new float[] {100f, -2.5f, 3f}, byId(corpus).get("r8").values());
        assertArrayEquals(new float[] {1f, 2f, 3f}, byId(corpus).get("r7").values());
        assertEquals(List.of("a", "b", "c"), corpus.columns());
        assertEquals(List.of("anomaly", "normal"), corpus.labels());
    }

    @Test
    void issuesNameTheRowTheReasonAndTheFirstColumn() throws IOException {
        write("bad/data.csv", BAD_CSV);

        FeatureCorpus corpus = FeatureCorpus.open(session.spark(), tmp.resolve("bad").toString(),
                FeatureDataConfig.defaults());

        List<String> issues = corpus.issues().map(FeatureIssue::toString).collect().stream().sorted().toList();
        List<String> expected = new ArrayList<>(List.of(
                "r10 (non_finite: column a: 'inf')",
                "r10 (missing_value: column b: 'NA')",
                "r11 (non_finite: column a: '1e39')",
                "r12 (unparseable: column a: '1,5')",
                "r3 (missing_value: column a: '')",
                "r4 (non_finite: column a: 'NaN')",
                "r5 (unparseable: column a: 'abc')",
                "r9 (unparseable: column a: '1.5f')",
                positionalId("data.csv", BAD_CSV, 6) + " (malformed_row: 3 fields, the header has 5)",
                positionalId("data.csv", BAD_CSV, 14) + " (malformed_row: unclosed or misplaced quote)"));
        assertEquals(expected.stream().sorted().toList(), issues);
        assertEquals(10, corpus.rejects().samples().size());
    }

    @Test
    void meanRuleKeepsRowsWithMissingAndNonFiniteValuesAsNaN() throws IOException {
        write("bad/data.csv", BAD_CSV);

        FeatureCorpus corpus = FeatureCorpus.open(session.spark(), tmp.resolve("bad").toString(),
                FeatureDataConfig.defaults().withMissing("mean"));

        FeatureReport report = corpus.rejects();
        assertEquals(13, report.read());
        assertEquals(8, report.usable());
        assertEquals(3L, report.count(FeatureIssueReason.NON_FINITE));
        Map<String, FeatureRecord> rows = byId(corpus);
        assertEquals(List.of("r1", "r10", "r11", "r2", "r3", "r4", "r7", "r8"), new ArrayList<>(rows.keySet()));
        assertArrayEquals(new float[] {Float.NaN, 7f, 8f}, rows.get("r3").values());
        assertArrayEquals(new float[] {Float.NaN, Float.NaN, 1f}, rows.get("r10").values());
    }

    @Test
    void openRunsNoSparkJobAndReadingRunsOne() throws IOException {
        write("bad/data.csv", BAD_CSV);
        int before = session.jobsStarted();

        FeatureCorpus corpus = FeatureCorpus.open(session.spark(), tmp.resolve("bad").toString(),
                FeatureDataConfig.defaults().withColumns(List.of("c", "a")));
        int afterOpen = session.jobsStarted();
        corpus.rejects();
        corpus.count();
        corpus.labels();

        assertEquals(before, afterOpen);
        assertEquals(before + 1, session.jobsStarted());
        assertEquals(List.of("c", "a"), corpus.columns());
    }

    @Test
    void configuredColumnsAreReadInTheirOrder() throws IOException {
        write("t/x.csv", "a,b,c", "1,2,3", "4,5,6");

        FeatureCorpus corpus = FeatureCorpus.open(session.spark(), tmp.resolve("t").toString(),
                FeatureDataConfig.defaults().withColumns(List.of("c", "a")));

        List<FeatureRecord> rows = corpus.records().collect();
        assertEquals(List.of("x.csv@6", "x.csv@12"), rows.stream().map(FeatureRecord::id).toList());
        assertArrayEquals(new float[] {3f, 1f}, rows.get(0).values());
        assertArrayEquals(new float[] {6f, 4f}, rows.get(1).values());
        assertNull(rows.get(0).label());
    }

    @Test
    void largeFileSplitAcrossTasksIsReadOnceWithItsHeaderSkipped() throws IOException {
        List<String> lines = new ArrayList<>(List.of("x,y"));
        for (int i = 0; i < 3000; i++) {
            lines.add(i + "," + (i * 0.5));
        }
        write("big/part.csv", lines.toArray(String[]::new));
        session.spark().sparkContext().hadoopConfiguration().set("mapreduce.input.fileinputformat.split.maxsize",
                "4096");
        try {
            FeatureCorpus corpus = FeatureCorpus.open(session.spark(), tmp.resolve("big").toString(),
                    FeatureDataConfig.defaults());

            List<FeatureRecord> rows = corpus.records().collect();
            assertTrue(corpus.records().getNumPartitions() > 5, "the file must be split for this test");
            assertEquals(3000, rows.size());
            assertEquals(3000, new HashSet<>(rows.stream().map(FeatureRecord::id).toList()).size());
            double sum = rows.stream().mapToDouble(r -> r.values()[0]).sum();
            assertEquals(2999.0 * 3000 / 2, sum);
            assertEquals(0, corpus.rejects().rejected());
        } finally {
            session.spark().sparkContext().hadoopConfiguration().unset("mapreduce.input.fileinputformat.split.maxsize");
        }
    }

    @Test
    void gzipFilesAndSeveralFilesAreOneCorpus() throws IOException {
        write("many/one.csv", "id,v,w", "a,1,2");
        Path gz = tmp.resolve("many/sub/two.csv.gz");
        Files.createDirectories(gz.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("id,v,w\nb,3,4\nc,5,6\n".getBytes(StandardCharsets.UTF_8));
        }
        write("many/_SUCCESS", "");
        write("many/.hidden/three.csv", "id,v,w", "z,9,9");

        FeatureCorpus corpus = FeatureCorpus.open(session.spark(), tmp.resolve("many").toString(),
                FeatureDataConfig.defaults());

        assertEquals(List.of("a", "b", "c"), new ArrayList<>(byId(corpus).keySet()));
        assertArrayEquals(new float[] {5f, 6f}, byId(corpus).get("c").values());
    }

    @Test
    void semicolonSeparatedFilesWithAByteOrderMark() throws IOException {
        write("semi/x.csv", "\uFEFFid;v", "a;1.5", "b;-2");

        FeatureCorpus corpus = FeatureCorpus.open(session.spark(), tmp.resolve("semi").toString(),
                new FeatureDataConfig("csv", List.of(), "id", "label", "skip", ";", 1e-6, 0, 10));

        assertEquals(List.of("v"), corpus.columns());
        assertArrayEquals(new float[] {-2f}, byId(corpus).get("b").values());
    }

    @Test
    void differentHeadersAreRefusedBeforeAnyJob() throws IOException {
        write("mixed/a.csv", "id,v,w", "a,1,2");
        write("mixed/b.csv", "id,w,v", "b,1,2");
        int before = session.jobsStarted();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureCorpus.open(
                session.spark(), tmp.resolve("mixed").toString(), FeatureDataConfig.defaults()));

        assertTrue(e.getMessage().contains("have different headers: a.csv has [id, v, w], b.csv has [id, w, v] "
                + "(every file needs the same header row)"), e.getMessage());
        assertEquals(before, session.jobsStarted());
    }

    @Test
    void unknownColumnIsRefusedNamingTheHeader() throws IOException {
        write("t/x.csv", "id,v,w", "a,1,2");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureCorpus.open(
                session.spark(), tmp.resolve("t").toString(),
                FeatureDataConfig.defaults().withColumns(List.of("v", "speed"))));

        assertTrue(e.getMessage().startsWith("data.columns lists [speed], which the CSV header of x.csv does not "
                + "have (its columns: [id, v, w]"), e.getMessage());
    }

    @Test
    void pathWithoutFeatureFilesIsRefused() throws IOException {
        write("none/readme.txt", "nothing here");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureCorpus.open(
                session.spark(), tmp.resolve("none").toString(), FeatureDataConfig.defaults()));

        assertTrue(e.getMessage().startsWith("no feature files found under " + tmp.resolve("none")), e.getMessage());
    }

    @Test
    void missingPathIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureCorpus.open(
                session.spark(), tmp.resolve("absent").toString(), FeatureDataConfig.defaults()));

        assertTrue(e.getMessage().contains("the path does not exist"), e.getMessage());
    }

    @Test
    void corpusWithoutUsableRowsNamesTheReasons() throws IOException {
        write("allbad/x.csv", "v,w", "1,", ",2", "abc,1");

        FeatureCorpus corpus = FeatureCorpus.open(session.spark(), tmp.resolve("allbad").toString(),
                FeatureDataConfig.defaults());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, corpus::requireUsable);
        assertTrue(e.getMessage().startsWith("no usable rows in " + tmp.resolve("allbad") + ": read 3, all rejected "
                + "(unparseable=1, missing_value=2)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(data.missing: mean keeps rows with missing or non-finite values)"),
                e.getMessage());
    }

    private Path parquetTable() {
        StructType schema = new StructType()
                .add("id", DataTypes.StringType)
                .add("a", DataTypes.DoubleType)
                .add("b", DataTypes.IntegerType)
                .add("name", DataTypes.StringType)
                .add("c", DataTypes.LongType)
                .add("label", DataTypes.StringType);
        List<Row> rows = List.of(
                RowFactory.create("p1", 1.5, 2, "x", 3L, "0"),
                RowFactory.create("p2", null, 4, "y", 5L, "1"),
                RowFactory.create("p3", Double.NaN, 6, "z", 7L, "0"),
                RowFactory.create("p4", 8.0, null, "w", 9L, null),
                RowFactory.create("p5", -1.0, 0, "v", 1L, "1"));
        Path dir = tmp.resolve("parquet");
        session.spark().createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
        return dir;
    }

    @Test
    void parquetNumericColumnsWithNullsAndNaN() {
        Path dir = parquetTable();

        FeatureCorpus corpus = FeatureCorpus.open(session.spark(), dir.toString(), FeatureDataConfig.defaults());

        assertEquals("parquet", corpus.format());
        assertEquals(List.of("a", "b", "c"), corpus.columns());
        FeatureReport report = corpus.rejects();
        assertEquals(5, report.read());
        assertEquals(2, report.usable());
        assertEquals(Map.of(FeatureIssueReason.MISSING_VALUE, 2L, FeatureIssueReason.NON_FINITE, 1L), report.counts());
        assertArrayEquals(new float[] {1.5f, 2f, 3f}, byId(corpus).get("p1").values());
        assertEquals("1", byId(corpus).get("p5").label());
        assertEquals(List.of("0", "1"), corpus.labels());
    }

    @Test
    void parquetColumnThatIsNotANumberIsRefused() {
        Path dir = parquetTable();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureCorpus.open(
                session.spark(), dir.toString(), FeatureDataConfig.defaults().withColumns(List.of("a", "name"))));

        assertTrue(e.getMessage().startsWith("data.columns lists \"name\", which is string in Parquet corpus"),
                e.getMessage());
    }

    @Test
    void parquetWithoutIdColumnUsesFileAndRow() {
        StructType schema = new StructType().add("v", DataTypes.FloatType);
        Path dir = tmp.resolve("noid");
        session.spark().createDataFrame(List.of(RowFactory.create(1f), RowFactory.create(2f)), schema).coalesce(1)
                .write().parquet(dir.toString());

        FeatureCorpus corpus = FeatureCorpus.open(session.spark(), dir.toString(), FeatureDataConfig.defaults());

        List<String> ids = corpus.records().map(FeatureRecord::id).collect();
        assertEquals(2, ids.size());
        assertTrue(ids.get(0).startsWith("part-") && ids.get(0).endsWith(".parquet#0"), ids.get(0));
        assertTrue(ids.get(1).endsWith(".parquet#1"), ids.get(1));
    }
}
