package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
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
    void arraysHaveBatchBySequenceShapes() {
        BertBatch batch = BertBatch.of(examples.subList(0, 5));
        for (var array : List.of(batch.tokenIds(), batch.segmentIds(), batch.attentionMask(), batch.mlmLabels(),
                batch.mlmMask())) {
            assertArrayEquals(new long[] {5, 64}, array.shape());
            assertEquals(DataType.FLOAT, array.dataType());
        }
        assertArrayEquals(new long[] {5}, batch.nspLabels().shape());
    }

    @Test
    void rowsHoldEachExamplesDenseViews() {
        List<BertExample> five = examples.subList(3, 8);
        BertBatch batch = BertBatch.of(five, DataType.INT32);
        for (int i = 0; i < five.size(); i++) {
            BertExample e = five.get(i);
            assertArrayEquals(e.tokenIds(), batch.tokenIds().getRow(i).toIntVector());
            assertArrayEquals(e.segmentIds(), batch.segmentIds().getRow(i).toIntVector());
            assertArrayEquals(e.attentionMask(), batch.attentionMask().getRow(i).toIntVector());
            assertArrayEquals(e.mlmLabels(), batch.mlmLabels().getRow(i).toIntVector());
            assertArrayEquals(e.mlmMask(), batch.mlmMask().getRow(i).toIntVector());
            assertEquals(e.nspLabel(), batch.nspLabels().getInt(i));
        }
    }

    @Test
    void multiDataSetPutsIdsAndSegmentsInFeaturesAndBothTasksInLabels() {
        BertBatch batch = BertBatch.of(examples.subList(0, 4));
        MultiDataSet mds = batch.toMultiDataSet();
        assertEquals(2, mds.numFeatureArrays());
        assertEquals(2, mds.numLabelsArrays());
        assertEquals(batch.tokenIds(), mds.getFeatures(0));
        assertEquals(batch.segmentIds(), mds.getFeatures(1));
        assertEquals(batch.attentionMask(), mds.getFeaturesMaskArray(0));
        assertEquals(batch.mlmLabels(), mds.getLabels(0));
        assertEquals(batch.nspLabels(), mds.getLabels(1));
        assertEquals(batch.mlmMask(), mds.getLabelsMaskArray(0));
        assertNull(mds.getLabelsMaskArray(1));
    }

    @Test
    void mixedSequenceLengthsAreRefused() {
        BertExample other = new BertExamples(WordPieceTokenizer.shared(TestText.bertVocab()),
                BertExampleConfig.defaults(), MaskingConfig.defaults())
                .generate(TestText.documents("sotu", 2), 7, 0).next();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertBatch.of(List.of(examples.get(0), other)));
        assertEquals("example 1 has sequence length 128, example 0 has 64 (one batch, one text.maxSeqLength)",
                e.getMessage());
    }
}
