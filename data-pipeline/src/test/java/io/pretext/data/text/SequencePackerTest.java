package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.image.SparkTestSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Packing Moby-Dick chapters into unmasked sentence pairs, locally and in the executors of a local[2] session. */
class SequencePackerTest {

    private static final long SEED = 5;
    private static List<TextDocument> chapters;
    private static List<PackedSequence> packed;

    @BeforeAll
    static void pack() {
        chapters = TestText.documents("moby-dick", 30);
        packed = new ArrayList<>();
        new SequencePacker(WordPieceTokenizer.shared(TestText.bertVocab()), BertExampleConfig.defaults())
                .pack(chapters, SEED).forEachRemaining(packed::add);
    }

    @Test
    void sequencesHaveTheBertLayoutWithoutPadding() {
        Vocabulary vocab = TestText.bertVocab();
        for (PackedSequence p : packed) {
            int[] t = p.tokenIds();
            assertTrue(t.length >= 5 && t.length <= 128, p.toString());
            assertEquals(vocab.clsId(), t[0]);
            assertEquals(vocab.sepId(), t[p.firstSegmentLength() - 1]);
            assertEquals(vocab.sepId(), t[t.length - 1]);
            for (int i = 1; i < t.length - 1; i++) {
                if (i != p.firstSegmentLength() - 1) {
                    assertTrue(!vocab.isSpecial(t[i]) || t[i] == vocab.unkId(), p + " has a special token at " + i);
                }
            }
        }
    }

    @Test
    void idsAreTheDocumentAndTheIndexWithinIt() {
        Set<String> ids = new HashSet<>();
        for (PackedSequence p : packed) {
            assertTrue(ids.add(p.id()), "duplicate id " + p.id());
            assertTrue(p.id().startsWith(p.documentId() + "#"), p.id());
            assertEquals(p.randomNext(), !p.documentId().equals(p.nextDocumentId()), p.toString());
        }
        assertTrue(ids.contains(chapters.get(0).id() + "#0"));
    }

    @Test
    void aboutHalfTheSequencesHaveARandomNextSegment() {
        long random = packed.stream().filter(PackedSequence::randomNext).count();
        assertEquals(0.5, random / (double) packed.size(), 0.06);
    }

    @Test
    void anotherSeedPairsDifferently() {
        List<PackedSequence> other = new ArrayList<>();
        new SequencePacker(WordPieceTokenizer.shared(TestText.bertVocab()), BertExampleConfig.defaults())
                .pack(chapters, SEED + 1).forEachRemaining(other::add);
        assertNotEquals(packed, other);
    }

    @Test
    void packingInExecutorsDoesNotDependOnTheInputPartitioning() {
        try (SparkTestSession session = new SparkTestSession()) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.spark().sparkContext());
            Vocabulary vocab = TestText.bertVocab();
            List<List<PackedSequence>> results = new ArrayList<>();
            for (int partitions : new int[] {1, 3, 7}) {
                JavaRDD<TextDocument> docs = sc.parallelize(chapters, partitions);
                List<PackedSequence> out = new ArrayList<>(SequencePacker.pack(docs, chapters.size(), vocab,
                        BertExampleConfig.defaults(), SEED).collect());
                out.sort(Comparator.comparing(PackedSequence::id));
                results.add(out);
            }
            assertTrue(results.get(0).size() > 300, "sequences: " + results.get(0).size());
            assertEquals(results.get(0), results.get(1));
            assertEquals(results.get(0), results.get(2));
            List<PackedSequence> local = new ArrayList<>();
            new SequencePacker(WordPieceTokenizer.shared(vocab), BertExampleConfig.defaults())
                    .packGroup(chapters, SEED).forEachRemaining(local::add);
            local.sort(Comparator.comparing(PackedSequence::id));
            assertEquals(results.get(0), local, "one group: the local packing of the group equals the executors'");
        }
    }
}
