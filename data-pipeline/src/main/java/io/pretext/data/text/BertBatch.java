package io.pretext.data.text;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A minibatch of {@link BertExample}s as ND4J arrays, row {@code i} being example {@code i}:
 *
 * @param tokenIds      {@code [batch, seq]} input ids after masking, {@code [PAD]} beyond each length
 * @param segmentIds    {@code [batch, seq]} 0 for {@code [CLS]} A {@code [SEP]}, 1 for B {@code [SEP]}, 0 in padding
 * @param attentionMask {@code [batch, seq]} 1 for real tokens, 0 for padding
 * @param mlmLabels     {@code [batch, seq]} original token id at selected positions, 0 elsewhere
 * @param mlmMask       {@code [batch, seq]} 1 at selected positions, 0 elsewhere
 * @param nspLabels     {@code [batch]} 1 when B comes from another document, 0 when it continues A
 */
public record BertBatch(INDArray tokenIds, INDArray segmentIds, INDArray attentionMask, INDArray mlmLabels,
        INDArray mlmMask, INDArray nspLabels) {

    /** Float arrays: what DL4J's embedding layers, masks and sparse cross-entropy consume (ids are exact below 2^24). */
    public static BertBatch of(List<BertExample> examples) {
        return of(examples, DataType.FLOAT);
    }

    /** All six arrays in {@code type} (e.g. {@code INT32} for SameDiff gathers). */
    public static BertBatch of(List<BertExample> examples, DataType type) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("a BERT batch needs at least one example");
        }
        int batch = examples.size();
        int seq = examples.get(0).seqLength();
        int[] tokens = new int[batch * seq];
        int[] segments = new int[batch * seq];
        int[] attention = new int[batch * seq];
        int[] labels = new int[batch * seq];
        int[] selected = new int[batch * seq];
        int[] nsp = new int[batch];
        for (int i = 0; i < batch; i++) {
            BertExample e = examples.get(i);
            if (e.seqLength() != seq) {
                throw new IllegalArgumentException("example " + i + " has sequence length " + e.seqLength()
                        + ", example 0 has " + seq + " (one batch, one text.maxSeqLength)");
            }
            int row = i * seq;
            for (int p = 0; p < seq; p++) {
                tokens[row + p] = e.tokenId(p);
            }
            for (int p = 0; p < e.length(); p++) {
                attention[row + p] = 1;
                segments[row + p] = p < e.firstSegmentLength() ? 0 : 1;
            }
            int[] positions = e.maskedPositions();
            int[] originals = e.maskedLabels();
            for (int k = 0; k < positions.length; k++) {
                labels[row + positions[k]] = originals[k];
                selected[row + positions[k]] = 1;
            }
            nsp[i] = e.nspLabel();
        }
        long[] shape = {batch, seq};
        return new BertBatch(array(tokens, shape, type), array(segments, shape, type), array(attention, shape, type),
                array(labels, shape, type), array(selected, shape, type), array(nsp, new long[] {batch}, type));
    }

    /**
     * As a DL4J {@link MultiDataSet}: features {@code [tokenIds, segmentIds]} with feature masks
     * {@code [attentionMask, attentionMask]}; labels {@code [mlmLabels, nspLabels]} with label masks
     * {@code [mlmMask, null]}. A provisional layout: the BERT graph defines the final one.
     */
    public MultiDataSet toMultiDataSet() {
        return new MultiDataSet(new INDArray[] {tokenIds, segmentIds}, new INDArray[] {mlmLabels, nspLabels},
                new INDArray[] {attentionMask, attentionMask}, new INDArray[] {mlmMask, null});
    }

    private static INDArray array(int[] data, long[] shape, DataType type) {
        if (type == DataType.INT32) {
            return Nd4j.createFromArray(data).reshape(shape);
        }
        if (type == DataType.FLOAT) {
            float[] f = new float[data.length];
            for (int i = 0; i < data.length; i++) {
                f[i] = data[i];
            }
            return Nd4j.create(f, shape, DataType.FLOAT);
        }
        return Nd4j.createFromArray(data).reshape(shape).castTo(type);
    }
}
