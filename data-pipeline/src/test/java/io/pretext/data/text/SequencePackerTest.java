package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.image.SparkTestSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SequencePackerTest {

    private static SparkTestSession session;
    private static Vocabulary vocab;
    private static List<TokenizedDocument> chapters;

    @BeforeAll
    static void setUp() {
        session = new SparkTestSession();
        vocab = TestText.bertVocab();
        WordPieceTokenizer tokenizer = new WordPieceTokenizer(vocab);
        chapters = TestText.documents("moby-dick", 24).stream().map(d -> SequencePacker.tokenize(d, tokenizer))
                .toList();
    }

    @AfterAll
    static void stopSpark() {
        session.close();
    }

    private static List<PackedSequence> pack(BertExampleConfig config, List<TokenizedDocument> group, long seed) {
        return new SequencePacker(vocab, config).pack(group, seed);
    }

    @Test
    void everySequenceIsClsASepBSepWithinTheMaximumLength() {
        List<PackedSequence> sequences = pack(new BertExampleConfig(64, 0.1, 0.5), chapters, 7);
        assertTrue(sequences.size() > 100, sequences.size() + " sequences");
        for (PackedSequence s : sequences) {
            int[] t = s.tokenIds();
            assertTrue(t.length <= 64 && t.length >= 5, s.toString());
            assertEquals(vocab.clsId(), t[0]);
            assertEquals(vocab.sepId(), t[s.firstSegmentLength() - 1], s.toString());
            assertEquals(vocab.sepId(), t[t.length - 1]);
            assertEquals(2, Arrays.stream(t).filter(id -> id == vocab.sepId()).count(), s.toString());
        }
    }

    @Test
    void withoutRandomNextAndTruncationADocumentsSequencesSpellItOutInOrder() {
        List<PackedSequence> sequences = pack(new BertExampleConfig(100_000, 0, 0), chapters.subList(0, 5), 3);
        for (TokenizedDocument doc : chapters.subList(0, 5)) {
            List<Integer> expected = new ArrayList<>();
            Arrays.stream(doc.sentences()).flatMapToInt(Arrays::stream).forEach(expected::add);
            List<Integer> spelled = new ArrayList<>();
            sequences.stream().filter(s -> s.id().startsWith(doc.id() + "#"))
                    .sorted(Comparator.comparingInt(s -> Integer.parseInt(s.id().substring(s.id().lastIndexOf('#') + 1))))
                    .forEach(s -> Arrays.stream(s.tokenIds()).filter(id -> id != vocab.clsId() && id != vocab.sepId())
                            .forEach(spelled::add));
            assertEquals(expected, spelled, doc.id());
        }
    }

    @Test
    void aboutTheConfiguredShareOfSequencesHaveARandomNextSegment() {
        List<PackedSequence> sequences = pack(new BertExampleConfig(64, 0.1, 0.5), chapters, 11);
        double share = sequences.stream().filter(PackedSequence::randomNext).count() / (double) sequences.size();
        assertTrue(share > 0.4 && share < 0.6, "random-next share " + share);
        assertTrue(pack(new BertExampleConfig(64, 0.1, 0), chapters, 11).stream()
                .noneMatch(PackedSequence::randomNext));
    }

    @Test
    void aGroupOfOneDocumentCannotDrawARandomNextSegment() {
        List<PackedSequence> sequences = pack(new BertExampleConfig(64, 0.1, 1), chapters.subList(0, 1), 5);
        assertFalse(sequences.isEmpty());
        assertTrue(sequences.stream().noneMatch(PackedSequence::randomNext));
    }

    @Test
    void theSameSeedPacksAlikeAndAnotherSeedDifferently() {
        BertExampleConfig config = new BertExampleConfig(64, 0.1, 0.5);
        assertEquals(pack(config, chapters, 1), pack(config, chapters, 1));
        assertFalse(pack(config, chapters, 1).equals(pack(config, chapters, 2)));
    }

    @Test
    void sequencesOnSparkDependOnlyOnTheDocumentsNotOnTheirPartitioning() {
        List<TextDocument> documents = TestText.documents("moby-dick", 24);
        BertExampleConfig config = new BertExampleConfig(64, 0.1, 0.5);
        List<TextDocument> shuffled = new ArrayList<>(documents);
        Collections.shuffle(shuffled, new Random(4));
        var sc = new org.apache.spark.api.java.JavaSparkContext(session.spark().sparkContext());
        List<PackedSequence> one = new ArrayList<>(SequencePacker.sequences(sc.parallelize(documents, 1),
                documents.size(), vocab, config, 6, 9).collect());
        List<PackedSequence> five = new ArrayList<>(SequencePacker.sequences(sc.parallelize(shuffled, 5),
                documents.size(), vocab, config, 6, 9).collect());
        one.sort(Comparator.comparing(PackedSequence::id));
        five.sort(Comparator.comparing(PackedSequence::id));
        assertEquals(one, five);
        assertTrue(one.stream().anyMatch(PackedSequence::randomNext));
    }

    @Test
    void documentsSpreadOverGroupsOfAboutTheGroupSize() {
        assertEquals(1, SequencePacker.groups(0, 256));
        assertEquals(1, SequencePacker.groups(256, 256));
        assertEquals(2, SequencePacker.groups(257, 256));
        int[] sizes = new int[4];
        IntStream.range(0, 4000).forEach(i -> sizes[SequencePacker.groupOf("doc-" + i, 3, 4)]++);
        assertTrue(Arrays.stream(sizes).allMatch(n -> n > 850 && n < 1150), Arrays.toString(sizes));
    }

    @Test
    void tokenizingDropsSentencesWithoutTokensAndDocumentsWithNone() {
        WordPieceTokenizer tokenizer = new WordPieceTokenizer(vocab);
        TokenizedDocument d = SequencePacker.tokenize(new TextDocument("d", null, List.of("Call me Ishmael.", "\u0007",
                "Some years ago.")), tokenizer);
        assertEquals(2, d.sentences().length);
        assertArrayEquals(tokenizer.encode("Some years ago."), d.sentences()[1]);
        assertNull(SequencePacker.tokenize(new TextDocument("e", null, List.of("\u0007\u0008")), tokenizer));
    }

    @Test
    void idsNameTheDocumentAndIndexAndBsDocument() {
        List<PackedSequence> sequences = pack(BertExampleConfig.defaults(), chapters, 5);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (PackedSequence p : sequences) {
            assertTrue(ids.add(p.id()), "duplicate id " + p.id());
            assertTrue(p.id().startsWith(p.documentId() + "#"), p.id());
            assertEquals(p.randomNext(), !p.documentId().equals(p.nextDocumentId()), p.toString());
        }
        assertTrue(ids.contains(chapters.get(0).id() + "#0"));
    }

    @Test
    void aRawCorpusOfOneGroupPacksLocallyAsInTheExecutors() {
        List<TextDocument> documents = TestText.documents("moby-dick", 24);
        var sc = new org.apache.spark.api.java.JavaSparkContext(session.spark().sparkContext());
        List<PackedSequence> executors = new ArrayList<>(SequencePacker.pack(sc.parallelize(documents, 3),
                documents.size(), vocab, BertExampleConfig.defaults(), 5).collect());
        List<TextDocument> shuffled = new ArrayList<>(documents);
        Collections.shuffle(shuffled, new Random(8));
        List<PackedSequence> local = new ArrayList<>();
        new SequencePacker(WordPieceTokenizer.shared(vocab), BertExampleConfig.defaults())
                .packGroup(shuffled, 5).forEachRemaining(local::add);
        executors.sort(Comparator.comparing(PackedSequence::id));
        local.sort(Comparator.comparing(PackedSequence::id));
        assertTrue(local.size() > 100, local.size() + " sequences");
        assertEquals(executors, local);
    }
}
