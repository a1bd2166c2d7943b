package io.pretext.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.data.features.FeatureCorpus;
import io.pretext.data.features.FeatureDataConfig;
import io.pretext.data.features.FeatureIssue;
import io.pretext.data.features.FeatureIssueReason;
import io.pretext.data.features.FeatureOutcome;
import io.pretext.data.features.FeatureRecord;
import io.pretext.data.image.ImageCorpus;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.ImageReject;
import io.pretext.data.image.RejectReason;
import io.pretext.data.image.SparkTestSession;
import io.pretext.data.image.TestImages;
import io.pretext.data.shard.Sharding;
import io.pretext.data.text.EncodedDocument;
import io.pretext.data.text.PackedSequence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

class DataKryoRegistratorTest {

    private static final Map<String, String> KRYO = Map.of(
            "spark.serializer", KryoSerializer.class.getName(),
            "spark.kryo.registrator", DataKryoRegistrator.class.getName());

    @TempDir
    Path tmp;

    private static <T> T roundTrip(T value, Class<T> type) {
        SparkConf conf = new SparkConf();
        KRYO.forEach(conf::set);
        SerializerInstance kryo = new KryoSerializer(conf).newInstance();
        ClassTag<T> tag = ClassTag$.MODULE$.apply(type);
        return kryo.deserialize(kryo.serialize(value, tag), tag);
    }

    @Test
    void imageRecordsSurviveKryo() {
        ImageRecord labeled = new ImageRecord("a/b.png", "cat", 3, 2, 3, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                13, 14, 15, 16, (byte) 255});
        ImageRecord unlabeled = new ImageRecord("x", null, 1, 1, 1, new byte[] {(byte) 128});
        assertEquals(labeled, roundTrip(labeled, ImageRecord.class));
        assertEquals(unlabeled, roundTrip(unlabeled, ImageRecord.class));
    }

    @Test
    void packedSequencesAndEncodedDocumentsSurviveKryo() {
        PackedSequence packed = new PackedSequence("speeches/1790.txt#3", new int[] {101, 7, 30521, 102, 2000, 102}, 4,
                true, "speeches/1801.txt");
        EncodedDocument labeled = new EncodedDocument("ham/0001", "ham", new int[] {101, 2023, 102});
        EncodedDocument unlabeled = new EncodedDocument("x", null, new int[] {101, 102});
        assertEquals(packed, roundTrip(packed, PackedSequence.class));
        assertEquals(labeled, roundTrip(labeled, EncodedDocument.class));
        assertEquals(unlabeled, roundTrip(unlabeled, EncodedDocument.class));
    }

    @Test
    void featureRowsAndOutcomesSurviveKryo() {
        FeatureRecord row = new FeatureRecord("f.csv@12", "anomaly", new float[] {1.5f, Float.NaN, -3f});
        FeatureIssue issue = new FeatureIssue("f.csv@12", FeatureIssueReason.MISSING_VALUE, "column b: ''");
        FeatureOutcome kept = FeatureOutcome.of(row.id(), row, List.of(issue));
        FeatureOutcome dropped = FeatureOutcome.of("g", null,
                List.of(new FeatureIssue("g", FeatureIssueReason.UNPARSEABLE, "column a: 'x'")));

        assertEquals(row, roundTrip(row, FeatureRecord.class));
        assertEquals(issue, roundTrip(issue, FeatureIssue.class));
        assertEquals(kept, roundTrip(kept, FeatureOutcome.class));
        assertEquals(dropped, roundTrip(dropped, FeatureOutcome.class));
    }

    @Test
    void featureCorpusRepartitionsUnderKryo() throws IOException {
        Files.writeString(tmp.resolve("t.csv"), "id,a,b\nr1,1,2\nr2,3,\nr3,x,1\nr4,5,6\n");
        try (SparkTestSession session = new SparkTestSession(KRYO)) {
            FeatureCorpus corpus = FeatureCorpus.open(session.spark(), tmp.toString(),
                    new FeatureDataConfig("csv", List.of(), "id", "label", "skip", ",", 1e-6, 3, 10));

            assertEquals(Map.of(FeatureIssueReason.MISSING_VALUE, 1L, FeatureIssueReason.UNPARSEABLE, 1L),
                    corpus.rejects().counts());
            assertEquals(List.of("r1", "r4"), corpus.records().map(FeatureRecord::id).collect().stream().sorted()
                    .toList());
        }
    }

    @Test
    void rejectsSurviveKryo() {
        ImageReject reject = new ImageReject("c.jpg", RejectReason.TRUNCATED, "JPEG ends inside scan data");
        assertEquals(reject, roundTrip(reject, ImageReject.class));
    }

    @Test
    void corpusAndEpochShardsRunUnderKryo() throws IOException {
        byte[][] fashion = TestImages.fashionImages(6);
        for (int i = 0; i < 6; i++) {
            Path file = tmp.resolve("c" + i % 2 + "/i" + i + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, TestImages.png(fashion[i], 28, 28));
        }
        Files.write(tmp.resolve("c0/bad.png"), new byte[0]);
        try (SparkTestSession session = new SparkTestSession(KRYO)) {
            ImageCorpus corpus = ImageCorpus.open(session.spark(), tmp.toString(),
                    ImageDataConfig.defaults().withImageSize(1, 28, 28));
            assertEquals(Map.of(RejectReason.EMPTY_FILE, 1L), corpus.rejects().counts());
            List<ImageRecord> shuffled = Sharding.epochShards(corpus.records(), ImageRecord::id, 1, 0, 3).collect();
            Comparator<ImageRecord> byId = Comparator.comparing(ImageRecord::id);
            assertEquals(corpus.records().collect().stream().sorted(byId).toList(),
                    shuffled.stream().sorted(byId).toList());
        }
    }

    @Test
    void kryoWithoutTheRegistratorIsRefusedBeforeAnyJob() throws IOException {
        Files.write(tmp.resolve("a.png"), TestImages.png(TestImages.fashionImages(1)[0], 28, 28));
        try (SparkTestSession session = new SparkTestSession(Map.of("spark.serializer", KryoSerializer.class.getName()))) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ImageCorpus.open(session.spark(), tmp.toString(), ImageDataConfig.defaults()));
            assertEquals("spark.serializer is org.apache.spark.serializer.KryoSerializer but spark.kryo.registrator (\"\") "
                    + "does not list " + DataKryoRegistrator.class.getName()
                    + ": add it (comma-separated) so that image records can be cached and shuffled", e.getMessage());
            assertEquals(0, session.jobsStarted());
        }
    }
}
