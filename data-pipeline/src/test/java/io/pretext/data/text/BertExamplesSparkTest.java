package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.DataKryoRegistrator;
import io.pretext.data.image.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Example generation in executors of a real local[2] session, with Java and with Kryo serialization. */
class BertExamplesSparkTest {

    @TempDir
    Path tmp;

    private static List<BertExample> local(List<List<TextDocument>> partitions, long seed, int epoch) {
        BertExamples gen = new BertExamples(WordPieceTokenizer.shared(TestText.bertVocab()),
                BertExampleConfig.defaults(), MaskingConfig.defaults());
        List<BertExample> out = new ArrayList<>();
        for (List<TextDocument> p : partitions) {
            gen.generate(p, seed, epoch).forEachRemaining(out::add);
        }
        return out;
    }

    private void examplesInExecutorsEqualTheLocalGeneration(Map<String, String> settings) {
        List<TextDocument> docs = TestText.documents("moby-dick", 24);
        try (SparkTestSession session = new SparkTestSession(settings)) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.spark().sparkContext());
            JavaRDD<TextDocument> rdd = sc.parallelize(docs, 3);
            List<List<TextDocument>> partitions = rdd.glom().collect();
            List<BertExample> remote = BertExamples.examples(rdd, TestText.bertVocab(), BertExampleConfig.defaults(),
                    MaskingConfig.defaults(), 11, 2).collect();
            assertEquals(local(partitions, 11, 2), remote);
            assertTrue(remote.size() > 100, "examples: " + remote.size());
        }
    }

    @Test
    void examplesMadeInExecutorsEqualTheLocalGeneration() {
        examplesInExecutorsEqualTheLocalGeneration(Map.of());
    }

    @Test
    void examplesAndTextCorpusWorkUnderKryo() throws IOException {
        examplesInExecutorsEqualTheLocalGeneration(Map.of("spark.serializer", KryoSerializer.class.getName(),
                "spark.kryo.registrator", DataKryoRegistrator.class.getName()));
        Files.writeString(tmp.resolve("a.txt"), "One sentence. Another one.");
        Files.write(tmp.resolve("b.txt"), new byte[0]);
        try (SparkTestSession session = new SparkTestSession(Map.of("spark.serializer", KryoSerializer.class.getName(),
                "spark.kryo.registrator", DataKryoRegistrator.class.getName()))) {
            TextCorpus corpus = TextCorpus.open(session.spark(), tmp.toString(), TextDataConfig.defaults());
            assertEquals(Map.of(TextIssueReason.EMPTY, 1L), corpus.rejects().counts());
            assertEquals(List.of(new TextDocument("a.txt", null, List.of("One sentence.", "Another one."))),
                    corpus.documents().collect());
        }
    }
}
