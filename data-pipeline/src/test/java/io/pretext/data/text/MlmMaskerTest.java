package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-epoch masking of packed sequences from real State of the Union addresses. */
class MlmMaskerTest {

    private static final long SEED = 9;
    private static Vocabulary vocab;
    private static List<PackedSequence> packed;
    private static MlmMasker masker;

    @BeforeAll
    static void pack() {
        vocab = TestText.bertVocab();
        packed = new ArrayList<>();
        new SequencePacker(WordPieceTokenizer.shared(vocab), BertExampleConfig.defaults())
                .packGroup(TestText.documents("sotu", 4), SEED).forEachRemaining(packed::add);
        masker = new MlmMasker(vocab, MaskingConfig.defaults());
    }

    @Test
    void maskingKeepsThePairAndPadsToTheGivenLength() {
        for (PackedSequence p : packed) {
            BertExample e = masker.mask(p, 128, SEED, 0);
            assertEquals(128, e.seqLength());
            assertEquals(p.length(), e.length());
            assertEquals(p.firstSegmentLength(), e.firstSegmentLength());
            assertEquals(p.randomNext(), e.randomNext());
            int[] original = e.originalTokenIds();
            assertArrayEquals(p.tokenIds(), Arrays.copyOf(original, p.length()));
            for (int i = p.length(); i < 128; i++) {
                assertEquals(vocab.padId(), original[i]);
            }
        }
    }

    @Test
    void theSameSeedEpochAndIdGiveTheSameMasks() {
        PackedSequence p = packed.get(3);
        assertEquals(masker.mask(p, p.length(), SEED, 2), masker.mask(p, p.length(), SEED, 2));
    }

    @Test
    void everyEpochMasksOtherPositions() {
        int samePositions = 0;
        for (PackedSequence p : packed) {
            int[] first = masker.mask(p, p.length(), SEED, 0).maskedPositions();
            int[] second = masker.mask(p, p.length(), SEED, 1).maskedPositions();
            if (Arrays.equals(first, second)) {
                samePositions++;
            }
        }
        assertEquals(0, samePositions, "of " + packed.size() + " sequences");
    }

    @Test
    void masksDoNotDependOnThePaddedLength() {
        PackedSequence p = packed.get(0);
        assertArrayEquals(masker.mask(p, p.length(), SEED, 0).maskedPositions(),
                masker.mask(p, 128, SEED, 0).maskedPositions());
    }

    @Test
    void aPaddedLengthShorterThanTheSequenceIsRefused() {
        PackedSequence p = packed.get(0);
        assertThrows(IllegalArgumentException.class, () -> masker.mask(p, p.length() - 1, SEED, 0));
    }
}
