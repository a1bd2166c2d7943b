package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.image.SparkTestSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text corpora on a real local[2] Spark session, with real bad files. */
class TextCorpusTest {

    private static final String LATIN1_SPAM = "spam-1-00035.7ce3307b56dd90453027a6630179282e.txt";
    private static final String HAM_TWO_BAD_BYTES = "easy-ham-2-00014.8e21078a89bd9c57255d302f346551e8.txt";
    /** Small limits so that the oversize and long-line files stay small. */
    private static final TextDataConfig LIMITS = TextDataConfig.defaults().withLimits(1_000_000, 100_000, 0.01);

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

    /** Three real addresses, and one file of each kind of bad input, two of them real e-mails. */
    private Path badInputs() throws IOException {
        Path root = tmp.resolve("corpus");
        Files.createDirectories(root);
        for (String year : List.of("1790_george_washington_n", "1863_abraham_lincoln_r", "1962_john_f_kennedy_d")) {
            Files.copy(TestText.corpus("sotu").resolve(year + ".txt"), root.resolve(year + ".txt"));
        }
        Files.copy(TestText.dataDir().resolve("fashion-mnist/t10k-labels-idx1-ubyte.gz"), root.resolve("binary.gz.bin"));
        Files.write(root.resolve("latin1.txt"),
                "Ça coûte très cher. Über alles. Señor Muñoz está aquí.".getBytes(StandardCharsets.ISO_8859_1));
        Files.copy(TestText.corpus("spam-assassin/spam").resolve(LATIN1_SPAM), root.resolve("spam-latin1.eml"));
        Files.copy(TestText.corpus("spam-assassin/ham").resolve(HAM_TWO_BAD_BYTES), root.resolve("ham-two-bad.eml"));
        Files.write(root.resolve("empty.txt"), new byte[0]);
        Files.writeString(root.resolve("blank.txt"), "  \n\t\r\n   \n");
        Files.writeString(root.resolve("huge-line.txt"), "All work and no play makes Jack a dull boy. ".repeat(5_000));
        Files.writeString(root.resolve("oversize.txt"), "Too long. ".repeat(120_000));
        Files.writeString(root.resolve(".hidden.txt"), "Not part of the corpus.");
        Files.writeString(root.resolve("_SUCCESS"), "");
        return root;
    }

    @Test
    void folderCorpusCountsEveryIssueReasonExactly() throws IOException {
        TextCorpus corpus = TextCorpus.open(session.spark(), badInputs().toString(), LIMITS);
        TextReport report = corpus.rejects();
        assertEquals(11, report.read());
        assertEquals(5, report.usable());
        assertEquals(Map.of(TextIssueReason.OVERSIZE, 1L, TextIssueReason.BINARY, 1L, TextIssueReason.INVALID_UTF8, 2L,
                TextIssueReason.EMPTY, 2L, TextIssueReason.UTF8_REPLACED, 1L, TextIssueReason.LINE_TRUNCATED, 1L),
                report.counts());
        corpus.unpersist();
    }

    @Test
    void folderCorpusListsIssuesByIdWithReasons() throws IOException {
        TextCorpus corpus = TextCorpus.open(session.spark(), badInputs().toString(), LIMITS);
        List<String> listed = corpus.rejects().samples().stream().map(i -> i.id() + " " + i.reason().key()).toList();
        assertEquals(List.of("binary.gz.bin binary", "blank.txt empty", "empty.txt empty", "ham-two-bad.eml utf8_replaced",
                "huge-line.txt line_truncated", "latin1.txt invalid_utf8", "oversize.txt oversize",
                "spam-latin1.eml invalid_utf8"), listed);
        corpus.unpersist();
    }

    @Test
    void issueDetailsStateTheRuleThatApplied() throws IOException {
        TextCorpus corpus = TextCorpus.open(session.spark(), badInputs().toString(), LIMITS);
        Map<String, String> details = corpus.issues().collect().stream()
                .collect(Collectors.toMap(TextIssue::id, TextIssue::detail));
        assertEquals("NUL byte at offset 3", details.get("binary.gz.bin"));
        assertEquals("1 line cut to data.maxLineChars = 100000 characters (longest 220000)", details.get("huge-line.txt"));
        assertEquals("1200000 bytes, more than data.maxDocumentBytes = 1000000", details.get("oversize.txt"));
        assertTrue(details.get("latin1.txt").startsWith("8 of 54 bytes (14.81%) are malformed UTF-8, first at byte 0"),
                details.get("latin1.txt"));
        assertTrue(details.get("ham-two-bad.eml").endsWith("replaced by U+FFFD"), details.get("ham-two-bad.eml"));
        corpus.unpersist();
    }

    @Test
    void truncatedLineKeepsItsFirstCharactersAndTheDocument() throws IOException {
        TextCorpus corpus = TextCorpus.open(session.spark(), badInputs().toString(), LIMITS);
        TextDocument doc = corpus.documents().filter(d -> d.id().equals("huge-line.txt")).first();
        String kept = String.join(" ", doc.sentences());
        assertEquals(LIMITS.maxLineChars() - 1, kept.length()); // the cut line's final space is stripped
        assertTrue(kept.startsWith("All work and no play makes Jack a dull boy. All work"));
        corpus.unpersist();
    }

    @Test
    void realAddressesAreSplitIntoSentences() throws IOException {
        TextCorpus corpus = TextCorpus.open(session.spark(), badInputs().toString(), LIMITS);
        TextDocument washington = corpus.documents().filter(d -> d.id().startsWith("1790")).first();
        assertEquals("Fellow-Citizens of the Senate and House of Representatives: In meeting you again I feel much "
                + "satisfaction in being able to repeat my congratulations on the favorable prospects which continue "
                + "to distinguish our public affairs.", washington.sentences().get(0));
        assertEquals("The abundant fruits of another year have blessed our country with plenty and with the means of "
                + "a flourishing commerce.", washington.sentences().get(1));
        corpus.unpersist();
    }

    @Test
    void spamAssassinIsReadWholeWithFolderLabelsAndNoFailure() throws IOException {
        Path root = TestText.corpus("spam-assassin");
        long files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).count();
        }
        TextCorpus corpus = TextCorpus.open(session.spark(), root.toString(), TextDataConfig.defaults());
        TextReport report = corpus.rejects();
        assertEquals(files, report.read());
        assertEquals(List.of("ham", "spam"), corpus.labels());
        assertEquals(report.usable(), corpus.documents().count());
        assertTrue(report.count(TextIssueReason.UTF8_REPLACED) > 0, report.summary());
        assertTrue(report.count(TextIssueReason.INVALID_UTF8) > 0, report.summary());
        assertEquals(report.read() - report.usable(), report.count(TextIssueReason.INVALID_UTF8)
                + report.count(TextIssueReason.EMPTY) + report.count(TextIssueReason.BINARY), report.summary());
        corpus.unpersist();
    }

    @Test
    void filesDirectlyUnderTheRootMakeTheCorpusUnlabeled() throws IOException {
        Path root = tmp.resolve("flat");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("a.txt"), "One. Two.");
        Files.writeString(root.resolve("sub/b.txt"), "Three.");
        TextCorpus corpus = TextCorpus.open(session.spark(), "file://" + root, TextDataConfig.defaults());
        assertEquals(List.of(), corpus.labels());
        assertEquals(List.of("a.txt [One., Two.] null", "sub/b.txt [Three.] null"),
                corpus.documents().map(d -> d.id() + " " + d.sentences() + " " + d.label()).collect().stream()
                        .sorted().toList());
        corpus.unpersist();
    }

    @Test
    void jsonlRecordsGiveDocumentsAndCountMalformedLines() throws IOException {
        Path file = tmp.resolve("docs.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"id\": \"a\", \"text\": \"Hello there. General Kenobi!\", \"label\": \"greeting\"}",
                "",
                "{\"text\": \"No id here.\"}",
                "not json at all",
                "[1, 2, 3]",
                "{\"id\": 7, \"text\": 42}",
                "{\"id\": \"n\", \"text\": null}",
                "{\"id\": \"w\", \"text\": \"   \"}",
                "{\"id\": \"nul\", \"text\": \"a\\u0000b\"}",
                "{\"id\": \"x\", \"body\": \"wrong field\"}") + "\n");
        TextCorpus corpus = TextCorpus.open(session.spark(), tmp.toString(), TextDataConfig.defaults());
        assertEquals("jsonl", corpus.format());
        assertEquals(List.of("a [Hello there., General Kenobi!] greeting", "docs.jsonl#L3 [No id here.] null"),
                corpus.documents().map(d -> d.id() + " " + d.sentences() + " " + d.label()).collect().stream()
                        .sorted().toList());
        assertEquals(List.of("7 malformed_record", "docs.jsonl#L4 malformed_record", "docs.jsonl#L5 malformed_record",
                "n empty", "nul binary", "w empty", "x malformed_record"),
                corpus.rejects().samples().stream().map(i -> i.id() + " " + i.reason().key()).toList());
        corpus.unpersist();
    }

    @Test
    void folderFormatReadsEveryFileAsOneDocumentWhateverItsExtension() throws IOException {
        Files.writeString(tmp.resolve("a.jsonl"), "{\"text\": \"Kept as it is.\"}\n");
        Files.writeString(tmp.resolve("notes"), "No extension. Still text.");
        TextCorpus corpus = TextCorpus.open(session.spark(), tmp.toString(), TextDataConfig.defaults().withFormat("folder"));
        assertEquals("folder", corpus.format());
        assertEquals(List.of("a.jsonl [{\"text\": \"Kept as it is.\"}]", "notes [No extension., Still text.]"),
                corpus.documents().map(d -> d.id() + " " + d.sentences()).collect().stream().sorted().toList());
        corpus.unpersist();
    }

    @Test
    void jsonlLineOverTheSizeLimitIsRejectedAndTheNextLineRead() throws IOException {
        Path file = tmp.resolve("big.jsonl");
        Files.writeString(file, "{\"text\": \"" + "x".repeat(3_000) + "\"}\n{\"text\": \"Small.\"}\n");
        TextCorpus corpus = TextCorpus.open(session.spark(), file.toString(),
                TextDataConfig.defaults().withLimits(1_000, 1_000, 0.01));
        assertEquals(List.of("big.jsonl#L1 oversize"),
                corpus.rejects().samples().stream().map(i -> i.id() + " " + i.reason().key()).toList());
        assertEquals(List.of("Small."), corpus.documents().first().sentences());
        corpus.unpersist();
    }

    @Test
    void jsonlWithoutTheTextFieldFailsInOpenBeforeAnySparkJob() throws IOException {
        Files.writeString(tmp.resolve("a.jsonl"), "{\"body\": \"x\", \"title\": \"y\"}\n");
        int before = session.jobsStarted();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextCorpus.open(session.spark(), tmp.toString(), TextDataConfig.defaults()));
        assertEquals("JSONL corpus " + tmp + ": the first record of a.jsonl has no field \"text\" (data.textField); "
                + "its fields are [body, title] (set data.textField in the data: section)", e.getMessage());
        assertEquals(before, session.jobsStarted());
    }

    @Test
    void parquetStringColumnIsReadWithIdsLabelsAndByteLevelChecks() {
        StructType schema = new StructType()
                .add("doc", DataTypes.StringType)
                .add("body", DataTypes.BinaryType)
                .add("topic", DataTypes.StringType);
        List<Row> rows = List.of(
                RowFactory.create("d1", "Mr. Smith went to Washington. He stayed.".getBytes(StandardCharsets.UTF_8), "x"),
                RowFactory.create("d2", new byte[] {'a', 0, 'b'}, "y"),
                RowFactory.create("d3", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1), "y"),
                RowFactory.create("d4", null, "y"));
        Dataset<Row> df = session.spark().createDataFrame(rows, schema);
        String path = tmp.resolve("pq").toString();
        df.coalesce(1).write().parquet(path);
        TextDataConfig config = new TextDataConfig("auto", "body", "doc", "topic", 1 << 20, 1000, 0.01, 0, 10);
        TextCorpus corpus = TextCorpus.open(session.spark(), path, config);
        assertEquals("parquet", corpus.format());
        assertEquals(List.of("d1 x [Mr. Smith went to Washington., He stayed.]"),
                corpus.documents().map(d -> d.id() + " " + d.label() + " " + d.sentences()).collect());
        assertEquals(List.of("d2 binary", "d3 invalid_utf8", "d4 empty"),
                corpus.rejects().samples().stream().map(i -> i.id() + " " + i.reason().key()).toList());
        assertEquals(List.of("x"), corpus.labels());
        corpus.unpersist();
    }

    @Test
    void parquetWithoutTheTextColumnFailsInOpenNamingTheStringColumns() {
        StructType schema = new StructType().add("title", DataTypes.StringType).add("n", DataTypes.IntegerType);
        String path = tmp.resolve("pq2").toString();
        session.spark().createDataFrame(List.of(RowFactory.create("t", 1)), schema).write().parquet(path);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextCorpus.open(session.spark(), path, TextDataConfig.defaults()));
        assertEquals("Parquet corpus " + path + " has no text column \"text\" (data.textField); its string columns are "
                + "[title] (set data.textField in the data: section)", e.getMessage());
    }

    @Test
    void openingRunsNoSparkJobUntilResultsAreAskedFor() throws IOException {
        Path root = badInputs();
        int before = session.jobsStarted();
        TextCorpus corpus = TextCorpus.open(session.spark(), root.toString(), LIMITS);
        corpus.documents();
        assertEquals(before, session.jobsStarted());
        corpus.count();
        corpus.rejects();
        assertEquals(before + 1, session.jobsStarted());
        corpus.unpersist();
    }

    @Test
    void countsStayExactWhenPartitionsAreRecomputed() throws IOException {
        TextCorpus corpus = TextCorpus.open(session.spark(), badInputs().toString(), LIMITS);
        TextReport first = corpus.rejects();
        corpus.unpersist();
        assertEquals(first.usable(), corpus.documents().count());
        assertEquals(first.rejected(), corpus.issues().filter(i -> i.reason().rejects()).count());
    }

    @Test
    void corpusOfOnlyBadFilesFailsRequireUsableWithTheReasons() throws IOException {
        Path root = tmp.resolve("bad");
        Files.createDirectories(root);
        Files.write(root.resolve("a.txt"), new byte[0]);
        Files.write(root.resolve("b.txt"), new byte[] {1, 2, 0, 3});
        TextCorpus corpus = TextCorpus.open(session.spark(), root.toString(), LIMITS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, corpus::requireUsable);
        assertEquals("no usable documents in " + root + ": read 2, all rejected (binary=1, empty=1); e.g. "
                + "a.txt (empty: 0 bytes); b.txt (binary: NUL byte at offset 2)", e.getMessage());
        corpus.unpersist();
    }

    @Test
    void missingPathFailsInOpenBeforeAnySparkJob() {
        int before = session.jobsStarted();
        String missing = tmp.resolve("nowhere").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextCorpus.open(session.spark(), missing, TextDataConfig.defaults()));
        assertTrue(e.getMessage().startsWith("no text found under " + missing + ": the path does not exist"),
                e.getMessage());
        assertEquals(before, session.jobsStarted());
    }

    @Test
    void everyDocumentHasOnlyNonBlankStrippedSentences() throws IOException {
        TextCorpus corpus = TextCorpus.open(session.spark(), badInputs().toString(), LIMITS);
        assertFalse(corpus.documents().collect().stream().flatMap(d -> d.sentences().stream())
                .anyMatch(s -> s.isBlank() || !s.strip().equals(s)));
        assertEquals(Arrays.asList(new String[0]), corpus.documents().filter(d -> d.sentences().isEmpty()).collect());
        corpus.unpersist();
    }
}
