package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** BERT example generation on real State of the Union addresses with the bert-base-uncased vocabulary. */
class BertExamplesTest {

    private static final long SEED = 42;
    private static Vocabulary vocab;
    private static WordPieceTokenizer tokenizer;
    private static List<TextDocument> documents;
    private static List<BertExample> sample;

    @BeforeAll
    static void generate() {
        vocab = TestText.bertVocab();
        tokenizer = WordPieceTokenizer.shared(vocab);
        documents = TestText.documents("sotu", 1000);
        sample = generate(BertExampleConfig.defaults(), MaskingConfig.defaults(), documents, 0);
    }

    private static List<BertExample> generate(BertExampleConfig config, MaskingConfig masking,
            List<TextDocument> docs, int epoch) {
        List<BertExample> out = new ArrayList<>();
        new BertExamples(tokenizer, config, masking).generate(docs, SEED, epoch).forEachRemaining(out::add);
        return out;
    }

    @Test
    void sampleIsLargeEnoughForTheStatistics() {
        assertTrue(sample.size() > 5_000, "examples: " + sample.size());
    }

    @Test
    void aboutFifteenPercentOfNonSpecialTokensAreSelected() {
        long selected = 0;
        long candidates = 0;
        for (BertExample e : sample) {
            selected += e.maskedPositions().length;
            candidates += e.length() - 3;
        }
        assertEquals(0.15, selected / (double) candidates, 0.005);
    }

    @Test
    void selectedTokensAreEightyPercentMaskTenPercentRandomTenPercentUnchanged() {
        long masked = 0;
        long unchanged = 0;
        long random = 0;
        for (BertExample e : sample) {
            int[] positions = e.maskedPositions();
            int[] labels = e.maskedLabels();
            for (int k = 0; k < positions.length; k++) {
                int now = e.tokenId(positions[k]);
                if (now == vocab.maskId()) {
                    masked++;
                } else if (now == labels[k]) {
                    unchanged++;
                } else {
                    random++;
                }
            }
        }
        double total = masked + unchanged + random;
        assertEquals(0.8, masked / total, 0.01);
        assertEquals(0.1, random / total, 0.01);
        assertEquals(0.1, unchanged / total, 0.01);
    }

    @Test
    void randomReplacementsAreNeverSpecialOrBracketedTokens() {
        for (BertExample e : sample) {
            int[] positions = e.maskedPositions();
            int[] labels = e.maskedLabels();
            for (int k = 0; k < positions.length; k++) {
                int now = e.tokenId(positions[k]);
                if (now != vocab.maskId() && now != labels[k]) {
                    String token = vocab.token(now);
                    assertFalse(token.startsWith("[") && token.endsWith("]"), token);
                }
            }
        }
    }

    @Test
    void specialPositionsAreNeverSelected() {
        for (BertExample e : sample) {
            for (int p : e.maskedPositions()) {
                assertTrue(p > 0 && p != e.firstSegmentLength() - 1 && p < e.length() - 1, e + " selects " + p);
            }
            for (int label : e.maskedLabels()) {
                assertFalse(vocab.isSpecial(label) && label != vocab.unkId(), e + " selects " + vocab.token(label));
            }
        }
    }

    @Test
    void everySequenceHasTheBertLayout() {
        for (BertExample e : sample) {
            int[] ids = e.tokenIds();
            assertEquals(128, ids.length);
            assertEquals(vocab.clsId(), ids[0]);
            assertEquals(vocab.sepId(), ids[e.firstSegmentLength() - 1]);
            assertEquals(vocab.sepId(), ids[e.length() - 1]);
            assertTrue(e.firstSegmentLength() >= 3 && e.length() - e.firstSegmentLength() >= 2, e.toString());
            for (int p = e.length(); p < ids.length; p++) {
                assertEquals(vocab.padId(), ids[p]);
            }
            int[] original = e.originalTokenIds();
            for (int p = 1; p < e.length() - 1; p++) {
                if (p != e.firstSegmentLength() - 1) {
                    assertFalse(original[p] == vocab.clsId() || original[p] == vocab.sepId() || original[p] == vocab.padId());
                }
            }
        }
    }

    @Test
    void segmentIdsAndAttentionMaskFollowTheLengths() {
        BertExample e = sample.get(7);
        int[] segments = e.segmentIds();
        int[] attention = e.attentionMask();
        for (int p = 0; p < e.seqLength(); p++) {
            assertEquals(p < e.firstSegmentLength() || p >= e.length() ? 0 : 1, segments[p], "segment at " + p);
            assertEquals(p < e.length() ? 1 : 0, attention[p], "attention at " + p);
        }
    }

    @Test
    void mostSequencesFillTheTargetLength() {
        long full = sample.stream().filter(e -> e.length() >= 120).count();
        assertTrue(full > sample.size() * 0.6, full + " of " + sample.size() + " sequences hold >= 120 tokens");
    }

    @Test
    void nextSentenceLabelsAreBalanced() {
        long random = sample.stream().filter(BertExample::randomNext).count();
        assertEquals(0.5, random / (double) sample.size(), 0.02);
    }

    @Test
    void randomNextSegmentsComeFromAnotherDocumentAndContinuationsFromTheSame() {
        for (BertExample e : sample) {
            assertEquals(e.randomNext(), !e.documentId().equals(e.nextDocumentId()), e.toString());
        }
    }

    @Test
    void continuationFollowsItsFirstSegmentInTheDocument() {
        Map<String, int[]> streams = new HashMap<>();
        for (TextDocument d : documents.subList(0, 10)) {
            List<Integer> all = new ArrayList<>();
            for (String s : d.sentences()) {
                for (int id : tokenizer.encode(s)) {
                    all.add(id);
                }
            }
            streams.put(d.id(), all.stream().mapToInt(Integer::intValue).toArray());
        }
        int checked = 0;
        for (BertExample e : sample) {
            int[] stream = streams.get(e.documentId());
            if (stream == null || e.randomNext()) {
                continue;
            }
            int[] original = e.originalTokenIds();
            int[] a = Arrays.copyOfRange(original, 1, e.firstSegmentLength() - 1);
            int[] b = Arrays.copyOfRange(original, e.firstSegmentLength(), e.length() - 1);
            int aAt = indexOf(stream, a, 0);
            assertTrue(aAt >= 0, "A of " + e + " is not in its document");
            assertTrue(indexOf(stream, b, aAt + a.length) >= 0, "B of " + e + " does not follow A");
            checked++;
        }
        assertTrue(checked > 50, "continuations checked: " + checked);
    }

    private static int indexOf(int[] stream, int[] part, int from) {
        outer:
        for (int i = from; i + part.length <= stream.length; i++) {
            for (int k = 0; k < part.length; k++) {
                if (stream[i + k] != part[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void sameSeedAndEpochGiveTheSameExamples() {
        List<TextDocument> few = documents.subList(0, 5);
        assertEquals(generate(BertExampleConfig.defaults(), MaskingConfig.defaults(), few, 3),
                generate(BertExampleConfig.defaults(), MaskingConfig.defaults(), few, 3));
    }

    @Test
    void anotherEpochGivesOtherPairsAndMasks() {
        List<TextDocument> few = documents.subList(0, 5);
        List<BertExample> first = generate(BertExampleConfig.defaults(), MaskingConfig.defaults(), few, 0);
        Set<BertExample> second = new HashSet<>(generate(BertExampleConfig.defaults(), MaskingConfig.defaults(), few, 1));
        long same = first.stream().filter(second::contains).count();
        assertEquals(0, same);
    }

    @Test
    void aDocumentsExamplesDoNotDependOnTheDocumentsAfterIt() {
        List<TextDocument> two = documents.subList(0, 2);
        List<TextDocument> three = documents.subList(0, 3);
        MaskingConfig m = MaskingConfig.defaults();
        BertExampleConfig c = new BertExampleConfig(128, 0.1, 0.0);
        assertEquals(generate(c, m, two, 0).stream().filter(e -> e.documentId().equals(two.get(0).id())).toList(),
                generate(c, m, three, 0).stream().filter(e -> e.documentId().equals(two.get(0).id())).toList());
    }

    @Test
    void everySequenceHasBetweenOneAndTheCapMaskedPositions() {
        List<BertExample> capped = generate(BertExampleConfig.defaults(), MaskingConfig.defaults().withMaxPredictions(5),
                documents.subList(0, 5), 0);
        for (BertExample e : capped) {
            assertTrue(e.maskedPositions().length >= 1 && e.maskedPositions().length <= 5, e.toString());
        }
        assertTrue(capped.stream().anyMatch(e -> e.maskedPositions().length == 5));
        List<BertExample> tiny = generate(new BertExampleConfig(8, 0.0, 0.5), MaskingConfig.defaults(),
                documents.subList(0, 5), 0);
        assertTrue(tiny.stream().allMatch(e -> e.maskedPositions().length == 1), "5 candidates * 0.15 rounds to 1");
    }

    @Test
    void wholeWordMaskingSelectsWordPiecesTogether() {
        List<BertExample> whole = generate(BertExampleConfig.defaults(), MaskingConfig.defaults().withWholeWordMasking(true),
                documents.subList(0, 10), 0);
        int piecesSelected = 0;
        for (BertExample e : whole) {
            int[] original = e.originalTokenIds();
            Set<Integer> selected = new HashSet<>();
            for (int p : e.maskedPositions()) {
                selected.add(p);
            }
            for (int p : e.maskedPositions()) {
                boolean piece = vocab.token(original[p]).startsWith("##");
                // a piece that truncation cut from its word (right after [CLS] or a [SEP]) stands alone
                if (piece && p - 1 != 0 && p - 1 != e.firstSegmentLength() - 1) {
                    assertTrue(selected.contains(p - 1), e + ": piece at " + p + " selected without its word");
                    piecesSelected++;
                }
                boolean nextIsPiece = p + 1 < e.length() - 1 && p + 1 != e.firstSegmentLength() - 1
                        && vocab.token(original[p + 1]).startsWith("##");
                if (nextIsPiece) {
                    assertTrue(selected.contains(p + 1), e + ": word at " + p + " selected without its piece");
                }
            }
        }
        assertTrue(piecesSelected > 20, "## pieces selected: " + piecesSelected);
    }

    @Test
    void aPartitionOfOneDocumentGivesOnlyContinuations() {
        List<BertExample> alone = generate(BertExampleConfig.defaults(), MaskingConfig.defaults(), documents.subList(0, 1), 0);
        assertFalse(alone.isEmpty());
        assertTrue(alone.stream().noneMatch(BertExample::randomNext));
    }

    @Test
    void documentsWithoutTokensGiveNoExamplesAndNoFailure() {
        List<TextDocument> odd = List.of(new TextDocument("blank", null, List.of("\u200B\u200B")),
                new TextDocument("one", null, List.of("Word.")));
        Iterator<BertExample> it = new BertExamples(tokenizer, BertExampleConfig.defaults(), MaskingConfig.defaults())
                .generate(odd, SEED, 0);
        List<BertExample> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        assertEquals(1, out.size());
        assertArrayEquals(new int[] {vocab.clsId(), vocab.id("word"), vocab.sepId(), vocab.id("."), vocab.sepId()},
                Arrays.copyOf(out.get(0).originalTokenIds(), 5));
        assertNotEquals("blank", out.get(0).documentId());
    }
}
