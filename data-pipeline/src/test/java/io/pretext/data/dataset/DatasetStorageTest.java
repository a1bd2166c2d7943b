package io.pretext.data.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.image.ImageCorpus;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.SparkTestSession;
import io.pretext.data.image.TestImages;
import io.pretext.data.text.PackedSequence;
import io.pretext.data.text.TextCorpus;
import io.pretext.data.text.TextDataConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shard files, manifests and the reader, on the local file system with a real local Spark. */
class DatasetStorageTest {

    private static SparkTestSession session;
    private static final Configuration CONF = new Configuration();
    private static final ShardConfig SHARDS = ShardConfig.defaults();

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

    private static List<ImageRecord> fashion(int n) {
        byte[][] pixels = TestImages.fashionImages(n);
        int[] labels = TestImages.fashionLabels(n);
        List<ImageRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ImageRecord(String.format("img%02d.png", i), Integer.toString(labels[i]), 1, 28, 28,
                    pixels[i]));
        }
        return out;
    }

    private static <T> ShardReceipt write(DatasetLayout layout, String name, ShardFormat<T> format, List<T> rows)
            throws IOException {
        try (ShardWriter<T> writer = new ShardWriter<>(layout, name, format, SHARDS, CONF)) {
            for (T row : rows) {
                writer.write(row);
            }
            return writer.commit();
        }
    }

    /** An image dataset of one partition whose records are split over two shards. */
    private DatasetLayout imageDataset(List<ImageRecord> images) throws IOException {
        DatasetLayout layout = new DatasetLayout(tmp.resolve("dataset").toString());
        List<DatasetManifest.Shard> shards = new ArrayList<>();
        int half = images.size() / 2;
        for (int s = 0; s < 2; s++) {
            List<Hashed<ImageRecord>> rows = images.subList(s * half, s == 0 ? half : images.size()).stream()
                    .map(r -> new Hashed<>(ContentHash.of(r), r)).toList();
            shards.add(write(layout, DatasetLayout.shardName(DatasetLayout.SHARDS, "k", s, 2), ImageShards.FORMAT,
                    rows).shard("."));
        }
        commit(layout, DatasetManifest.RecordLayout.images("snappy", 1, 28, 28), DatasetManifest.KIND_IMAGE, shards,
                images.size());
        return layout;
    }

    private static void commit(DatasetLayout layout, DatasetManifest.RecordLayout records, String kind,
                               List<DatasetManifest.Shard> shards, long count) {
        DatasetManifest.Counts counts = new DatasetManifest.Counts(count, Map.of(), Map.of(),
                new DatasetManifest.Duplicates(0, 0, 0), count, count, 0);
        DatasetManifest m = DatasetManifest.empty(kind, "file:/in", new ObjectMapper().createObjectNode(), "h", null,
                null, records).plus(new DatasetManifest.Partition(".", "k", 1, 1, "f", counts, "now"), shards,
                List.of(), "2026-01-01T00:00:00Z");
        layout.writeString(DatasetLayout.MANIFEST, m.toJson(), CONF);
    }

    @Test
    void imageShardsReadBackAsTheRecordsWritten() throws IOException {
        List<ImageRecord> images = fashion(12);
        DatasetLayout layout = imageDataset(images);
        List<ImageRecord> read = new ArrayList<>(DatasetReader.open(session.spark(), layout.root()).images().collect());
        read.sort(Comparator.comparing(ImageRecord::id));
        assertEquals(images, read);
    }

    @Test
    void aReceiptCarriesTheFileSizeAndSha256() throws IOException, Exception {
        DatasetLayout layout = new DatasetLayout(tmp.toString());
        List<Hashed<ImageRecord>> rows = fashion(3).stream().map(r -> new Hashed<>(ContentHash.of(r), r)).toList();
        ShardReceipt r = write(layout, "shards/a.parquet", ImageShards.FORMAT, rows);
        byte[] bytes = Files.readAllBytes(tmp.resolve("shards/a.parquet"));
        assertEquals(3, r.records());
        assertEquals(bytes.length, r.bytes());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), r.sha256());
        assertEquals(r.toJson(), ShardReceipt.parse(r.toJson()).toJson());
    }

    @Test
    void theSameRowsMakeByteIdenticalShards() throws IOException {
        List<Hashed<ImageRecord>> rows = fashion(5).stream().map(r -> new Hashed<>(ContentHash.of(r), r)).toList();
        ShardReceipt a = write(new DatasetLayout(tmp.resolve("a").toString()), "shards/x.parquet", ImageShards.FORMAT,
                rows);
        ShardReceipt b = write(new DatasetLayout(tmp.resolve("b").toString()), "shards/x.parquet", ImageShards.FORMAT,
                rows);
        assertEquals(a.sha256(), b.sha256());
    }

    @Test
    void aShardThatReceivesNoRowLeavesNoFile() throws IOException {
        DatasetLayout layout = new DatasetLayout(tmp.toString());
        ShardReceipt r = write(layout, "shards/empty.parquet", ImageShards.FORMAT, List.of());
        assertFalse(r.hasFile());
        assertFalse(Files.exists(tmp.resolve("shards/empty.parquet")));
    }

    @Test
    void anUncommittedShardLeavesNothingBehind() throws IOException {
        DatasetLayout layout = new DatasetLayout(tmp.toString());
        try (ShardWriter<Hashed<ImageRecord>> writer = new ShardWriter<>(layout, "shards/x.parquet",
                ImageShards.FORMAT, SHARDS, CONF)) {
            ImageRecord r = fashion(1).get(0);
            writer.write(new Hashed<>(ContentHash.of(r), r));
        }
        assertFalse(Files.exists(tmp.resolve("shards/x.parquet")));
        try (Stream<Path> left = Files.list(tmp.resolve(DatasetLayout.TMP))) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void sequencesRoundTripInBothTokenEncodings() throws IOException {
        for (String encoding : List.of(SequenceShards.UINT16, SequenceShards.INT32)) {
            int big = SequenceShards.UINT16.equals(encoding) ? 65_535 : 1_000_000;
            List<PackedSequence> sequences = List.of(
                    new PackedSequence("d#0", new int[] {101, 7, 102, big, 102}, 3, false, "d"),
                    new PackedSequence("d#1", new int[] {101, 0, 9, 102, 5, 102}, 4, true, "e"));
            DatasetLayout layout = new DatasetLayout(tmp.resolve(encoding).toString());
            ShardReceipt r = write(layout, "shards/s.parquet", SequenceShards.format(encoding), sequences);
            commit(layout, DatasetManifest.RecordLayout.sequences("snappy", 8, encoding), DatasetManifest.KIND_TEXT,
                    List.of(r.shard(".")), 2);
            List<PackedSequence> read = new ArrayList<>(DatasetReader.open(session.spark(), layout.root())
                    .sequences().collect());
            read.sort(Comparator.comparing(PackedSequence::id));
            assertEquals(sequences, read, encoding);
        }
    }

    @Test
    void theManifestRoundTripsThroughJson() throws IOException {
        DatasetLayout layout = imageDataset(fashion(4));
        String json = layout.readString(DatasetLayout.MANIFEST, CONF);
        assertEquals(json, DatasetManifest.parse(json, "m").toJson());
    }

    @Test
    void foreignOrNewerManifestsAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatasetManifest.parse(
                "{\"format\":\"other\",\"version\":1,\"kind\":\"image\",\"partitions\":[],\"shards\":[]}", "m"))
                .getMessage().contains("not a dataset manifest (format \"other\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatasetManifest.parse(
                "{\"format\":\"pretext-dataset\",\"version\":9,\"kind\":\"image\",\"partitions\":[],\"shards\":[]}",
                "m")).getMessage().contains("layout version 9"));
    }

    @Test
    void aDirectoryIsADatasetOnlyWithItsManifest() throws IOException {
        DatasetLayout layout = imageDataset(fashion(2));
        assertTrue(DatasetReader.isDataset(layout.root(), CONF));
        assertFalse(DatasetReader.isDataset(tmp.toString(), CONF));
        assertFalse(DatasetReader.isDataset(layout.path(DatasetLayout.MANIFEST).toString(), CONF));
        assertFalse(DatasetReader.isDataset(tmp.resolve("missing").toString(), CONF));
    }

    @Test
    void aMissingOrResizedShardIsReportedWhenTheDatasetIsOpened() throws IOException {
        DatasetLayout layout = imageDataset(fashion(4));
        Path shard = tmp.resolve("dataset").resolve(DatasetLayout.shardName(DatasetLayout.SHARDS, "k", 1, 2));
        Files.write(shard, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatasetReader.open(session.spark(),
                layout.root())).getMessage().contains("the manifest says"));
        Files.delete(shard);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatasetReader.open(session.spark(),
                layout.root())).getMessage().contains("is listed in its manifest but missing"));
    }

    @Test
    void verifyFindsAShardWhoseContentChangedInPlace() throws IOException {
        DatasetLayout layout = imageDataset(fashion(4));
        DatasetReader reader = DatasetReader.open(session.spark(), layout.root());
        assertEquals(List.of(), reader.verify());
        Path shard = tmp.resolve("dataset").resolve(DatasetLayout.shardName(DatasetLayout.SHARDS, "k", 0, 2));
        byte[] bytes = Files.readAllBytes(shard);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(shard, bytes);
        List<String> problems = reader.verify();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("shards/k-00000-of-00002.parquet: sha256 "), problems.get(0));
    }

    @Test
    void imagesOfAnotherSizeThanTheRunExpectsAreRefusedNamingTheKeys() throws IOException {
        DatasetLayout layout = imageDataset(fashion(2));
        DatasetReader reader = DatasetReader.open(session.spark(), layout.root());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reader.images(ImageDataConfig.defaults()));
        assertTrue(e.getMessage().contains("holds 1x28x28 images but data.channels/height/width are 3x32x32 "
                + "(set data.channels=1, data.height=28 and data.width=28"), e.getMessage());
        assertThrows(IllegalArgumentException.class, reader::sequences);
    }

    @Test
    void anImageCorpusOpenedOnADatasetReadsItsShards() throws IOException {
        List<ImageRecord> images = fashion(6);
        DatasetLayout layout = imageDataset(images);
        ImageCorpus corpus = ImageCorpus.open(session.spark(), layout.root(),
                ImageDataConfig.defaults().withImageSize(1, 28, 28));
        assertEquals("dataset", corpus.format());
        assertEquals(6, corpus.count());
        List<ImageRecord> read = new ArrayList<>(corpus.records().collect());
        read.sort(Comparator.comparing(ImageRecord::id));
        assertArrayEquals(images.get(5).pixels(), read.get(5).pixels());
        corpus.unpersist();
    }

    @Test
    void aTextCorpusRefusesADatasetDirectory() throws IOException {
        DatasetLayout layout = imageDataset(fashion(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextCorpus.open(session.spark(), layout.root(), TextDataConfig.defaults()));
        assertTrue(e.getMessage().contains("is a dataset made by pretext preprocess"), e.getMessage());
    }
}
