package io.pretext.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCorpusTest {

    private static final int GOOD = 12;
    private static SparkTestSession session;
    private static byte[][] fashion;
    private static int[] labels;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        session = new SparkTestSession();
        fashion = TestImages.fashionImages(GOOD);
        labels = TestImages.fashionLabels(GOOD);
    }

    @AfterAll
    static void stopSpark() {
        session.close();
    }

    private static ImageDataConfig config(int channels, int height, int width) {
        return ImageDataConfig.defaults().withImageSize(channels, height, width);
    }

    /** Fashion-MNIST images as PNG (even index) and JPEG (odd) in one folder per label, plus six bad files. */
    private Path classFolders() throws IOException {
        Path root = tmp.resolve("corpus");
        for (int i = 0; i < GOOD; i++) {
            Path dir = Files.createDirectories(root.resolve(Integer.toString(labels[i])));
            byte[] bytes = i % 2 == 0 ? TestImages.png(fashion[i], 28, 28)
                    : TestImages.jpeg(TestImages.grey(fashion[i], 28, 28), 0.95f);
            Files.write(dir.resolve(String.format("img%02d.%s", i, i % 2 == 0 ? "png" : "jpg")), bytes);
        }
        byte[] png = TestImages.png(fashion[0], 28, 28);
        byte[] jpeg = TestImages.jpeg(TestImages.grey(fashion[1], 28, 28), 0.9f);
        byte[] noise = new byte[500];
        new Random(3).nextBytes(noise);
        System.arraycopy(png, 0, noise, 0, 8);
        write(root.resolve("9/empty.png"), new byte[0]);
        write(root.resolve("9/cut.png"), Arrays.copyOf(png, png.length / 2));
        write(root.resolve("2/cut.jpg"), Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
        write(root.resolve("2/notes.png"), "class notes, not a picture\n".getBytes(StandardCharsets.UTF_8));
        write(root.resolve("1/noise.png"), noise);
        write(root.resolve("1/tiny.png"), TestImages.png(new byte[16], 4, 4));
        // not part of the corpus: hidden folders and files, and files without an image extension
        write(root.resolve(".cache/a.png"), png);
        write(root.resolve("_tmp/b.png"), png);
        write(root.resolve("9/.c.png"), png);
        write(root.resolve("README.txt"), "about".getBytes(StandardCharsets.UTF_8));
        return root;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    @Test
    void folderCorpusCountsEveryRejectReasonExactly() throws IOException {
        ImageCorpus corpus = ImageCorpus.open(session.spark(), classFolders().toString(), config(3, 32, 32));
        RejectReport report = corpus.rejects();
        assertEquals(GOOD + 6, report.read());
        assertEquals(GOOD, report.usable());
        assertEquals(Map.of(RejectReason.EMPTY_FILE, 1L, RejectReason.TRUNCATED, 2L, RejectReason.NOT_AN_IMAGE, 1L,
                RejectReason.UNDECODABLE, 1L, RejectReason.TOO_SMALL, 1L), report.counts());
        assertEquals(GOOD, corpus.count());
        corpus.unpersist();
    }

    @Test
    void folderCorpusListsRejectsByIdWithReasons() throws IOException {
        ImageCorpus corpus = ImageCorpus.open(session.spark(), classFolders().toString(), config(3, 32, 32));
        List<String> listed = corpus.rejects().samples().stream()
                .map(r -> r.id() + " " + r.reason().key()).toList();
        assertEquals(List.of("1/noise.png undecodable", "1/tiny.png too_small", "2/cut.jpg truncated",
                "2/notes.png not_an_image", "9/cut.png truncated", "9/empty.png empty_file"), listed);
        corpus.unpersist();
    }

    @Test
    void rejectSampleIsCappedAtTheConfiguredSize() throws IOException {
        ImageDataConfig c = config(3, 32, 32);
        ImageDataConfig two = new ImageDataConfig(c.channels(), c.height(), c.width(), c.resize(), c.minSourceSize(),
                c.maxFileBytes(), c.maxSourcePixels(), c.format(), c.imageColumn(), c.labelColumn(), c.idColumn(), 3, 2);
        ImageCorpus corpus = ImageCorpus.open(session.spark(), classFolders().toString(), two);
        assertEquals(List.of("1/noise.png", "1/tiny.png"),
                corpus.rejects().samples().stream().map(ImageReject::id).toList());
        assertEquals(6, corpus.rejects().rejected());
        corpus.unpersist();
    }

    @Test
    void folderImagesDecodeToTheConfiguredShapeWithFolderLabels() throws IOException {
        ImageCorpus corpus = ImageCorpus.open(session.spark(), classFolders().toString(), config(3, 32, 32));
        List<ImageRecord> records = corpus.records().collect();
        assertEquals(GOOD, records.size());
        for (ImageRecord r : records) {
            assertEquals(List.of(3, 32, 32), List.of(r.channels(), r.height(), r.width()), r.id());
            assertEquals(r.id().substring(0, r.id().indexOf('/')), r.label());
        }
        List<String> expectedLabels = Arrays.stream(labels).distinct().sorted().mapToObj(Integer::toString).toList();
        assertEquals(expectedLabels, corpus.labels());
        corpus.unpersist();
    }

    @Test
    void pngImagesAtTheirOwnSizeKeepTheirExactPixels() throws IOException {
        ImageCorpus corpus = ImageCorpus.open(session.spark(), classFolders().toString(), config(1, 28, 28));
        Map<String, ImageRecord> byId = corpus.records().collect().stream()
                .collect(Collectors.toMap(ImageRecord::id, r -> r));
        for (int i = 0; i < GOOD; i += 2) {
            assertArrayEquals(fashion[i], byId.get(labels[i] + String.format("/img%02d.png", i)).pixels());
        }
        corpus.unpersist();
    }

    @Test
    void filesDirectlyUnderTheRootMakeTheCorpusUnlabeled() throws IOException {
        Path root = tmp.resolve("flat");
        for (int i = 0; i < 3; i++) {
            write(root.resolve("f" + i + ".png"), TestImages.png(fashion[i], 28, 28));
        }
        write(root.resolve("sub/g.png"), TestImages.png(fashion[3], 28, 28));
        ImageCorpus corpus = ImageCorpus.open(session.spark(), "file://" + root, config(1, 28, 28));
        assertEquals(List.of(), corpus.labels());
        assertTrue(corpus.records().collect().stream().allMatch(r -> r.label() == null));
        assertEquals(List.of("f0.png", "f1.png", "f2.png", "sub/g.png"),
                corpus.records().map(ImageRecord::id).collect().stream().sorted().toList());
        corpus.unpersist();
    }

    @Test
    void openingRunsNoSparkJobUntilResultsAreAskedFor() throws IOException {
        Path root = classFolders();
        int before = session.jobsStarted();
        ImageCorpus corpus = ImageCorpus.open(session.spark(), root.toString(), config(1, 28, 28));
        corpus.records();
        assertEquals(before, session.jobsStarted());
        corpus.count();
        assertEquals(before + 1, session.jobsStarted());
        corpus.unpersist();
    }

    @Test
    void countsStayExactWhenDecodedPartitionsAreRecomputed() throws IOException {
        ImageCorpus corpus = ImageCorpus.open(session.spark(), classFolders().toString(), config(1, 28, 28));
        RejectReport first = corpus.rejects();
        corpus.unpersist();
        assertEquals(first.usable(), corpus.records().count());
        assertEquals(first.rejected(), corpus.rejectedInputs().count());
        assertEquals(first, corpus.rejects());
    }

    @Test
    void corpusOfOnlyBadFilesFailsRequireUsableWithTheReasons() throws IOException {
        Path root = tmp.resolve("bad");
        write(root.resolve("a.png"), new byte[0]);
        write(root.resolve("b.png"), "hello".getBytes(StandardCharsets.UTF_8));
        write(root.resolve("c.jpg"), new byte[0]);
        ImageCorpus corpus = ImageCorpus.open(session.spark(), root.toString(), config(1, 28, 28));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, corpus::requireUsable);
        assertTrue(e.getMessage().startsWith("no usable images in " + root + ": read 3, all rejected (empty_file=2, not_an_image=1)"),
                e.getMessage());
        corpus.unpersist();
    }

    @Test
    void missingPathFailsInOpenBeforeAnySparkJob() {
        String missing = tmp.resolve("nowhere").toString();
        int before = session.jobsStarted();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageCorpus.open(session.spark(), missing, config(1, 28, 28)));
        assertTrue(e.getMessage().startsWith("no images found under " + missing + ": the path does not exist (expected image files *.png"),
                e.getMessage());
        assertEquals(before, session.jobsStarted());
    }

    @Test
    void folderWithoutCandidateFilesFailsInOpen() throws IOException {
        Path root = tmp.resolve("texts");
        write(root.resolve("a/readme.txt"), "x".getBytes(StandardCharsets.UTF_8));
        write(root.resolve(".hidden/x.png"), TestImages.png(fashion[0], 28, 28));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageCorpus.open(session.spark(), root.toString(), config(1, 28, 28)));
        assertEquals("no images found under " + root + " (" + CorpusFiles.EXPECTED + ")", e.getMessage());
    }

    @Test
    void parquetCorpusDecodesTheBinaryColumnWithLabelsAndIds() {
        Path dir = tmp.resolve("pq");
        StructType schema = new StructType()
                .add("key", DataTypes.StringType)
                .add("label", DataTypes.IntegerType)
                .add("image", DataTypes.BinaryType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < GOOD; i++) {
            rows.add(RowFactory.create("k" + i, labels[i], TestImages.png(fashion[i], 28, 28)));
        }
        rows.add(RowFactory.create("junk", 0, "text".getBytes(StandardCharsets.UTF_8)));
        session.spark().createDataFrame(rows, schema).coalesce(2).write().parquet(dir.toString());
        ImageDataConfig c = config(1, 28, 28);
        ImageDataConfig withKey = new ImageDataConfig(1, 28, 28, c.resize(), c.minSourceSize(), c.maxFileBytes(),
                c.maxSourcePixels(), "auto", "image", "label", "key", 0, 100);

        ImageCorpus corpus = ImageCorpus.open(session.spark(), dir.toString(), withKey);
        assertEquals("parquet", corpus.format());
        assertEquals(Map.of(RejectReason.NOT_AN_IMAGE, 1L), corpus.rejects().counts());
        assertEquals("junk", corpus.rejects().samples().get(0).id());
        Map<String, ImageRecord> byId = corpus.records().collect().stream()
                .collect(Collectors.toMap(ImageRecord::id, r -> r));
        for (int i = 0; i < GOOD; i++) {
            assertArrayEquals(fashion[i], byId.get("k" + i).pixels());
            assertEquals(Integer.toString(labels[i]), byId.get("k" + i).label());
        }
        corpus.unpersist();
    }

    @Test
    void parquetRowsWithoutAnIdColumnAreNamedByFileAndRow() {
        Path dir = tmp.resolve("pq-noid");
        StructType schema = new StructType().add("image", DataTypes.BinaryType);
        List<Row> rows = IntStream.range(0, 5).mapToObj(i -> RowFactory.create((Object) TestImages.png(fashion[i], 28, 28)))
                .collect(Collectors.toList());
        session.spark().createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
        ImageCorpus corpus = ImageCorpus.open(session.spark(), dir.toString(), config(1, 28, 28));
        List<String> ids = corpus.records().map(ImageRecord::id).collect();
        assertEquals(5, new TreeSet<>(ids).size());
        for (String id : ids) {
            assertTrue(id.matches("part-.*\\.parquet#[0-4]"), id);
        }
        assertEquals(List.of(), corpus.labels());
        ImageRecord third = corpus.records().filter(r -> r.id().endsWith("#2")).first();
        assertArrayEquals(fashion[2], third.pixels());
        assertNull(third.label());
        corpus.unpersist();
    }

    @Test
    void parquetImageStructWithBytesFieldIsRead() {
        Path dir = tmp.resolve("pq-struct");
        StructType image = new StructType().add("bytes", DataTypes.BinaryType).add("path", DataTypes.StringType);
        StructType schema = new StructType().add("image", image).add("label", DataTypes.StringType);
        List<Row> rows = List.of(RowFactory.create(RowFactory.create(TestImages.png(fashion[0], 28, 28), "a.png"), "boot"));
        session.spark().createDataFrame(rows, schema).write().parquet(dir.toString());
        ImageCorpus corpus = ImageCorpus.open(session.spark(), dir.toString(), config(1, 28, 28));
        ImageRecord only = corpus.records().first();
        assertArrayEquals(fashion[0], only.pixels());
        assertEquals(List.of("boot"), corpus.labels());
        corpus.unpersist();
    }

    @Test
    void parquetWithoutTheImageColumnFailsInOpenNamingTheBinaryColumns() {
        Path dir = tmp.resolve("pq-wrong");
        StructType schema = new StructType().add("png", DataTypes.BinaryType).add("n", DataTypes.IntegerType);
        session.spark().createDataFrame(List.of(RowFactory.create(new byte[] {1}, 1)), schema).write().parquet(dir.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageCorpus.open(session.spark(), dir.toString(), config(1, 28, 28)));
        assertTrue(e.getMessage().contains("has no image column \"image\" (data.imageColumn); its binary columns are [png]"),
                e.getMessage());
    }

    @Test
    void idxTestSetHasTenThousandImagesAndAThousandPerLabel() {
        String images = TestImages.fashionMnistDir().resolve("t10k-images-idx3-ubyte.gz").toString();
        ImageCorpus corpus = ImageCorpus.open(session.spark(), images, config(1, 28, 28));
        assertEquals("idx", corpus.format());
        assertEquals(10_000, corpus.count());
        assertEquals(0, corpus.rejects().rejected());
        assertEquals(IntStream.range(0, 10).mapToObj(Integer::toString).toList(), corpus.labels());
        Map<String, Long> perLabel = new TreeMap<>(corpus.records().map(ImageRecord::label).countByValue());
        assertEquals(IntStream.range(0, 10).boxed().collect(Collectors.toMap(Object::toString, i -> 1000L)), perLabel);
        List<ImageRecord> first = corpus.records().filter(r -> r.id().matches(".*#[0-2]")).collect();
        assertEquals(3, first.size());
        for (ImageRecord r : first) {
            int index = Integer.parseInt(r.id().substring(r.id().indexOf('#') + 1));
            assertEquals("t10k-images-idx3-ubyte.gz#" + index, r.id());
            assertArrayEquals(fashion[index], r.pixels());
            assertEquals(Integer.toString(labels[index]), r.label());
        }
        corpus.unpersist();
    }

    @Test
    void idxDirectoryWithOneSetIsDetected() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("idx"));
        for (String name : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(TestImages.fashionMnistDir().resolve(name), dir.resolve(name));
        }
        ImageCorpus corpus = ImageCorpus.open(session.spark(), dir.toString(), config(3, 32, 32));
        assertEquals("idx", corpus.format());
        ImageRecord one = corpus.records().first();
        assertEquals(List.of(3, 32, 32), List.of(one.channels(), one.height(), one.width()));
        corpus.unpersist();
    }

    @Test
    void idxDirectoryWithTwoSetsAsksForOne() {
        String dir = TestImages.fashionMnistDir().toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageCorpus.open(session.spark(), dir, config(1, 28, 28)));
        assertTrue(e.getMessage().contains("holds several image sets"), e.getMessage());
    }
}
