package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;

class BertBatchTest {

    private static List<BertExample> examples;

    @BeforeAll
    static void generate() {
        examples = new ArrayList<>();
        new BertExamples(WordPieceTokenizer.shared(TestText.bertVocab()), BertExampleConfig.defaults().withMaxSeqLength(64),
                MaskingConfig.defaults()).generate(TestText.documents("sotu", 3), 7, 0).forEachRemaining(examples::add);
    }

    @Test
    void arraysHaveBatchBySequenceAndBatchBySlotShapes() {
        List<BertExample> five = examples.subList(0, 5);
        BertBatch batch = BertBatch.of(five);
        for (var array : List.of(batch.tokenIds(), batch.segmentIds(), batch.attentionMask())) {
            assertArrayEquals(new long[] {5, 64}, array.shape());
            assertEquals(DataType.FLOAT, array.dataType());
        }
        int slots = five.stream().mapToInt(BertExample::maskedCount).max().orElseThrow();
        for (var array : List.of(batch.maskedPositions(), batch.maskedLabels(), batch.maskedWeights())) {
            assertArrayEquals(new long[] {5, slots}, array.shape());
        }
        assertArrayEquals(new long[] {5, 2}, batch.nspLabels().shape());
    }

    @Test
    void rowsHoldEachExamplesViewsAndGatheredTargets() {
        List<BertExample> five = examples.subList(3, 8);
        BertBatch batch = BertBatch.of(five, DataType.INT32);
        int slots = (int) batch.maskedPositions().size(1);
        for (int i = 0; i < five.size(); i++) {
            BertExample e = five.get(i);
            assertArrayEquals(e.tokenIds(), batch.tokenIds().getRow(i).toIntVector());
            assertArrayEquals(e.segmentIds(), batch.segmentIds().getRow(i).toIntVector());
            assertArrayEquals(e.attentionMask(), batch.attentionMask().getRow(i).toIntVector());
            int[] positions = Arrays.copyOf(e.maskedPositions(), slots);
            int[] labels = Arrays.copyOf(e.maskedLabels(), slots);
            int[] weights = new int[slots];
            Arrays.fill(weights, 0, e.maskedCount(), 1);
            assertArrayEquals(positions, batch.maskedPositions().getRow(i).toIntVector());
            assertArrayEquals(labels, batch.maskedLabels().getRow(i).toIntVector());
            assertArrayEquals(weights, batch.maskedWeights().getRow(i).toIntVector());
            int[] nsp = new int[2];
            nsp[e.nspLabel()] = 1;
            assertArrayEquals(nsp, batch.nspLabels().getRow(i).toIntVector());
        }
    }

    @Test
    void multiDataSetFollowsThePretrainingGraphsLayout() {
        BertBatch batch = BertBatch.of(examples.subList(0, 4));
        MultiDataSet mds = batch.toMultiDataSet();
        assertEquals(3, mds.numFeatureArrays());
        assertEquals(2, mds.numLabelsArrays());
        assertEquals(batch.tokenIds(), mds.getFeatures(0));
        assertEquals(batch.segmentIds(), mds.getFeatures(1));
        assertEquals(batch.maskedPositions(), mds.getFeatures(2));
        assertEquals(batch.attentionMask(), mds.getFeaturesMaskArray(0));
        assertNull(mds.getFeaturesMaskArray(1));
        assertEquals(batch.maskedLabels(), mds.getLabels(0));
        assertEquals(batch.nspLabels(), mds.getLabels(1));
        assertEquals(batch.maskedWeights(), mds.getLabelsMaskArray(0));
        assertNull(mds.getLabelsMaskArray(1));
    }

    @Test
    void mixedSequenceLengthsAreRefused() {
        BertExample other = new BertExamples(WordPieceTokenizer.shared(TestText.bertVocab()),
                BertExampleConfig.defaults(), MaskingConfig.defaults())
                .generate(TestText.documents("sotu", 2), 7, 0).next();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertBatch.of(List.of(examples.get(0), other)));
        assertEquals("example 1 has sequence length 128, example 0 has 64 (pad every example of a batch to one "
                + "length)", e.getMessage());
    }
}
