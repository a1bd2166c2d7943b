package io.pretext.jobs.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretext.data.dataset.DatasetLayout;
import io.pretext.data.dataset.DatasetReader;
import io.pretext.data.image.ImageRecord;
import io.pretext.jobs.LocalSpark;
import io.pretext.jobs.SampleImages;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.storage.HadoopPaths;
import org.apache.spark.SparkException;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pretext preprocess --kind image} on real Fashion-MNIST images: rejects, exact duplicates, the manifest, an
 * idempotent rerun, refusals, a resume after an interruption and an appended partition.
 */
class ImagePreprocessTest {

    private static final List<String> CLASSES = List.of("trouser", "bag", "sneaker");
    /** 90 images + 2 copies of 28x28 grey images at ~880 bytes a record: five shards of ~16 KB. */
    private static final String[] SETTINGS = {"data.channels=1", "data.height=28", "data.width=28",
            "shards.targetBytes=16384"};

    @TempDir
    static Path dir;
    static Path images;
    static Path dataset;
    static String duplicated;

    @BeforeAll
    static void preprocessOnce() throws IOException {
        images = corpus(dir.resolve("images"));
        dataset = dir.resolve("dataset");
        Preprocessing.Result r = Preprocessing.preprocess("image", images, dataset, SETTINGS);
        assertEquals(0, r.exit(), r.err());
    }

    /**
     * 30 images of each of three classes, plus: an empty file and a text file named .png (rejects); the first bag
     * copied byte for byte to {@code bag/zz-copy.png} and re-encoded as BMP to {@code aa-first/copy.bmp} (exact
     * duplicates of its pixels; {@code aa-first/copy.bmp} sorts first and is the one kept).
     */
    static Path corpus(Path root) throws IOException {
        SampleImages.copy("train", CLASSES, 30, root);
        Path bag = root.resolve("bag");
        try (Stream<Path> files = Files.list(bag)) {
            Path first = files.sorted().findFirst().orElseThrow();
            duplicated = "bag/" + first.getFileName();
            Files.copy(first, bag.resolve("zz-copy.png"));
            BufferedImage picture = ImageIO.read(first.toFile());
            Files.createDirectories(root.resolve("aa-first"));
            assertTrue(ImageIO.write(picture, "bmp", root.resolve("aa-first/copy.bmp").toFile()));
        }
        Files.write(bag.resolve("empty.png"), new byte[0]);
        Files.writeString(root.resolve("sneaker/notes.png"), "not an image");
        return root;
    }

    private static List<ImageRecord> records(Path ds) {
        return DatasetReader.open(LocalSpark.get(), ds.toString()).images().collect();
    }

    @Test
    void rejectsAreCountedByReasonAndListedAsTheTrainingPipelineDoes() {
        JsonNode counts = Preprocessing.manifest(dataset).get("counts");
        assertEquals(94, counts.get("read").asLong());
        assertEquals(1, counts.get("rejected").get("empty_file").asLong());
        assertEquals(1, counts.get("rejected").get("not_an_image").asLong());
        List<JsonNode> rejected = Preprocessing.jsonLines(dataset.resolve("rejected.jsonl"));
        assertEquals(Set.of("bag/empty.png", "sneaker/notes.png"),
                Set.copyOf(rejected.stream().map(n -> n.get("id").asText()).toList()));
        assertTrue(rejected.stream().allMatch(n -> n.get("partition").asText().equals(".")
                && !n.get("detail").asText().isEmpty()));
    }

    @Test
    void exactDuplicatesAreRemovedKeepingTheSmallestId() {
        JsonNode counts = Preprocessing.manifest(dataset).get("counts");
        assertEquals(2, counts.get("duplicates").get("exact").asLong());
        assertEquals(90, counts.get("kept").asLong());
        Set<String> ids = new TreeSet<>(records(dataset).stream().map(ImageRecord::id).toList());
        assertEquals(90, ids.size());
        assertTrue(ids.contains("aa-first/copy.bmp"));
        assertFalse(ids.contains(duplicated));
        assertFalse(ids.contains("bag/zz-copy.png"));
    }

    @Test
    void theManifestRecordsInputsSettingsCountsAndChecksummedShards() throws Exception {
        JsonNode m = Preprocessing.manifest(dataset);
        assertEquals("pretext-dataset", m.get("format").asText());
        assertEquals("image", m.get("kind").asText());
        assertEquals(28, m.get("settings").get("data").get("height").asInt());
        assertEquals(16384, m.get("settings").get("shards").get("targetBytes").asLong());
        assertEquals(64, m.get("settingsHash").asText().length());
        assertFalse(m.has("seed"), "images draw no random numbers");
        assertEquals("ImageRecord", m.get("records").get("recordType").asText());
        JsonNode partition = m.get("partitions").get(0);
        assertEquals(".", partition.get("name").asText());
        assertEquals(94, partition.get("files").asLong());
        long inputBytes = 0;
        try (Stream<Path> files = Files.walk(images)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                inputBytes += Files.size(f);
            }
        }
        assertEquals(inputBytes, partition.get("bytes").asLong());
        JsonNode shards = m.get("shards");
        assertEquals(5, shards.size());
        long records = 0;
        for (JsonNode s : shards) {
            byte[] bytes = Files.readAllBytes(dataset.resolve(s.get("path").asText()));
            assertEquals(bytes.length, s.get("bytes").asLong());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                    s.get("sha256").asText());
            records += s.get("records").asLong();
        }
        assertEquals(90, records);
        assertEquals(List.of(), DatasetReader.open(LocalSpark.get(), dataset.toString()).verify());
    }

    @Test
    void aRerunWithTheSameInputsAndSettingsDoesNothing() throws IOException {
        String manifest = Files.readString(dataset.resolve("manifest.json"));
        Map<String, String> files = Preprocessing.fileIdentities(dataset);
        Preprocessing.Result r = Preprocessing.preprocess("image", images, dataset, SETTINGS);
        assertEquals(0, r.exit(), r.err());
        assertEquals(manifest, Files.readString(dataset.resolve("manifest.json")));
        assertEquals(files, Preprocessing.fileIdentities(dataset));
    }

    @Test
    void otherSettingsAreRefusedNamingWhatChanged() throws IOException {
        String manifest = Files.readString(dataset.resolve("manifest.json"));
        List<String> sets = new ArrayList<>(List.of(SETTINGS));
        sets.set(1, "data.height=32");
        Preprocessing.Result r = Preprocessing.preprocess("image", images, dataset, sets.toArray(String[]::new));
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("was preprocessed with other settings (data.height was 28, now 32)"), r.err());
        assertEquals(manifest, Files.readString(dataset.resolve("manifest.json")));
    }

    @Test
    void aTextRunOnAnImageDatasetIsRefused() {
        Preprocessing.Result r = Preprocessing.preprocess("text", images, dataset, "text.vocab=" + Preprocessing.vocab());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("holds a image dataset; use --kind image"), r.err());
    }

    @Test
    void nearDeduplicationOfImagesIsRefusedBeforeSpark() {
        Preprocessing.Result r = Preprocessing.preprocess("image", images, dir.resolve("near"), "dedup.near=true");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("dedup.near applies to text only"), r.err());
        assertFalse(Files.exists(dir.resolve("near")));
    }

    @Test
    void aChangedInputPartitionIsRefused() throws IOException {
        Path input = SampleImages.copy("train", List.of("bag"), 5, dir.resolve("changing"));
        Path out = dir.resolve("changing-dataset");
        assertEquals(0, Preprocessing.preprocess("image", input, out, SETTINGS).exit());
        Files.copy(SampleImages.SAMPLE.resolve("train/bag/00023.png"), input.resolve("bag/new.png"));
        Preprocessing.Result r = Preprocessing.preprocess("image", input, out, SETTINGS);
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("input partitions of --data " + input + " changed since they were preprocessed"),
                r.err());
        assertTrue(r.err().contains(". (5 files"), r.err());
    }

    @Test
    void anInterruptedRunResumesWithoutRewritingFinishedShards() throws Exception {
        String[] settings = {"data.channels=1", "data.height=28", "data.width=28", "shards.targetBytes=4096"};
        Path clean = dir.resolve("uninterrupted");
        assertEquals(0, Preprocessing.preprocess("image", images, clean, settings).exit());
        int shards = Preprocessing.manifest(clean).get("shards").size();
        assertTrue(shards > 10, shards + " shards");

        Path out = dir.resolve("interrupted");
        PreprocessConfig config = PreprocessConfig.resolve("image", ConfigSource.load(
                PreprocessConfig.IMAGE_SECTIONS, Map.of(), null, List.of(settings)));
        SparkSession spark = LocalSpark.get();
        CancelAfterShards cancel = new CancelAfterShards(spark, out, 2);
        spark.sparkContext().addSparkListener(cancel);
        try {
            PreprocessPlan plan = PreprocessPlan.make(config, images.toString(), out.toString(),
                    HadoopPaths.configuration());
            assertThrows(SparkException.class, () -> PreprocessJob.run(spark, plan));
        } finally {
            spark.sparkContext().removeSparkListener(cancel);
        }
        assertFalse(Files.exists(out.resolve("manifest.json")), "nothing is committed before all shards are done");
        Map<String, String> finished = Preprocessing.fileIdentities(out);
        assertTrue(finished.size() >= 2 && finished.size() < shards, "finished shards " + finished.keySet());

        PreprocessPlan again = PreprocessPlan.make(config, images.toString(), out.toString(),
                HadoopPaths.configuration());
        PreprocessSummary summary = PreprocessJob.run(spark, again);
        assertEquals(finished.size(), summary.shardsReused());
        assertEquals(shards - finished.size(), summary.shardsWritten());
        Map<String, String> after = Preprocessing.fileIdentities(out);
        finished.forEach((path, identity) -> assertEquals(identity, after.get(path), path + " was written again"));
        JsonNode resumed = Preprocessing.manifest(out);
        assertEquals(Preprocessing.manifest(clean).get("shards"), resumed.get("shards"),
                "the resumed dataset has the shards, record counts and checksums of an uninterrupted run");
        assertEquals(Preprocessing.manifest(clean).get("counts"), resumed.get("counts"));
        assertFalse(Files.exists(out.resolve("_pending").resolve(resumed.get("partitions").get(0).get("key")
                .asText())), "receipts go once the partition is committed");
    }

    @Test
    void aNewPartitionIsAppendedAndDeduplicatedAgainstTheDataset() throws IOException {
        Path input = dir.resolve("daily");
        SampleImages.copy("train", List.of("bag", "dress"), 10, input.resolve("2024-05-01"));
        Path out = dir.resolve("daily-dataset");
        String[] sets = {"data.channels=1", "data.height=28", "data.width=28", "shards.targetBytes=4096",
                "input.partitioning=folders"};
        assertEquals(0, Preprocessing.preprocess("image", input, out, sets).exit());
        Map<String, String> firstFiles = Preprocessing.fileIdentities(out);
        JsonNode firstShards = Preprocessing.manifest(out).get("shards");

        Path day2 = input.resolve("2024-05-02");
        SampleImages.copy("train", List.of("sandal"), 8, day2);
        Files.createDirectories(day2.resolve("bag"));
        try (Stream<Path> bags = Files.list(input.resolve("2024-05-01/bag"))) {
            for (Path f : bags.sorted().limit(3).toList()) {
                Files.copy(f, day2.resolve("bag").resolve("again-" + f.getFileName()));
            }
        }
        Preprocessing.Result r = Preprocessing.preprocess("image", input, out, sets);
        assertEquals(0, r.exit(), r.err());

        JsonNode m = Preprocessing.manifest(out);
        assertEquals(List.of("2024-05-01", "2024-05-02"), names(m.get("partitions")));
        JsonNode second = m.get("partitions").get(1).get("counts");
        assertEquals(11, second.get("read").asLong());
        assertEquals(3, second.get("duplicates").get("existing").asLong());
        assertEquals(8, second.get("kept").asLong());
        assertEquals(28, m.get("counts").get("kept").asLong());
        Map<String, String> after = Preprocessing.fileIdentities(out);
        firstFiles.forEach((path, identity) -> assertEquals(identity, after.get(path), path + " was touched"));
        for (int i = 0; i < firstShards.size(); i++) {
            assertEquals(firstShards.get(i), m.get("shards").get(i));
        }
        assertNotEquals(firstShards.size(), m.get("shards").size());
        Set<String> ids = new TreeSet<>(records(out).stream().map(ImageRecord::id).toList());
        assertTrue(ids.contains("2024-05-02/sandal/" + firstFileName(day2.resolve("sandal"))), ids.toString());
        assertTrue(ids.stream().noneMatch(id -> id.contains("again-")));
    }

    private static List<String> names(JsonNode partitions) {
        List<String> out = new ArrayList<>();
        partitions.forEach(p -> out.add(p.get("name").asText()));
        return out;
    }

    private static String firstFileName(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().findFirst().orElseThrow().getFileName().toString();
        }
    }

    /** Cancels every job once {@code after} tasks of a shard-writing stage have succeeded: an interrupted run. */
    /**
     * Cancels every job once {@code after} shard files of {@code dataset} are finished. It counts files, not tasks: a
     * shard that no record hashes to finishes without a file.
     */
    static final class CancelAfterShards extends SparkListener {
        private final SparkSession spark;
        private final Path shards;
        private final int after;
        private final Set<Integer> writingStages = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean cancelled = new AtomicBoolean();

        CancelAfterShards(SparkSession spark, Path dataset, int after) {
            this.spark = spark;
            this.shards = dataset.resolve(DatasetLayout.SHARDS);
            this.after = after;
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
            String description = submitted.properties() == null ? null
                    : submitted.properties().getProperty("spark.job.description");
            if (description != null && description.contains("write") && submitted.stageInfo().name()
                    .startsWith("collect")) {
                writingStages.add(submitted.stageInfo().stageId());
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (writingStages.contains(end.stageId()) && end.taskInfo().successful() && finishedFiles() >= after
                    && cancelled.compareAndSet(false, true)) {
                spark.sparkContext().cancelAllJobs();
            }
        }

        private long finishedFiles() {
            if (!Files.isDirectory(shards)) {
                return 0;
            }
            try (Stream<Path> files = Files.list(shards)) {
                return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
