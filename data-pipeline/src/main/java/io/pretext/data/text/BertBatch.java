package io.pretext.data.text;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A minibatch of {@link BertExample}s as ND4J arrays in the layout of the BERT pretraining graph, row {@code i}
 * being example {@code i}. The masked-LM targets are gathered: {@code P} prediction slots per example, the
 * largest number of selected positions in the batch; an example with fewer fills the rest with position 0,
 * label 0 and weight 0.
 *
 * @param tokenIds        {@code [batch, seq]} input ids after masking, {@code [PAD]} beyond each length
 * @param segmentIds      {@code [batch, seq]} 0 for {@code [CLS]} A {@code [SEP]}, 1 for B {@code [SEP]}, 0 in padding
 * @param attentionMask   {@code [batch, seq]} 1 for real tokens, 0 for padding
 * @param maskedPositions {@code [batch, P]} the selected positions, ascending; unused slots 0
 * @param maskedLabels    {@code [batch, P]} the original token id at each selected position; unused slots 0
 * @param maskedWeights   {@code [batch, P]} 1 for a real prediction, 0 for an unused slot
 * @param nspLabels       {@code [batch, 2]} one-hot: {@code [1, 0]} when B continues A, {@code [0, 1]} when B comes
 *                        from another document
 */
public record BertBatch(INDArray tokenIds, INDArray segmentIds, INDArray attentionMask, INDArray maskedPositions,
        INDArray maskedLabels, INDArray maskedWeights, INDArray nspLabels) {

    /** Float arrays: what DL4J's embedding layers, masks and losses consume (ids are exact below 2^24). */
    public static BertBatch of(List<BertExample> examples) {
        return of(examples, DataType.FLOAT);
    }

    /** All seven arrays in {@code type} (e.g. {@code INT32} for inspection). */
    public static BertBatch of(List<BertExample> examples, DataType type) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("a BERT batch needs at least one example");
        }
        int batch = examples.size();
        int seq = examples.get(0).seqLength();
        int slots = 1;
        for (BertExample e : examples) {
            slots = Math.max(slots, e.maskedCount());
        }
        int[] tokens = new int[batch * seq];
        int[] segments = new int[batch * seq];
        int[] attention = new int[batch * seq];
        int[] positions = new int[batch * slots];
        int[] labels = new int[batch * slots];
        int[] weights = new int[batch * slots];
        int[] nsp = new int[batch * 2];
        for (int i = 0; i < batch; i++) {
            BertExample e = examples.get(i);
            if (e.seqLength() != seq) {
                throw new IllegalArgumentException("example " + i + " has sequence length " + e.seqLength()
                        + ", example 0 has " + seq + " (pad every example of a batch to one length)");
            }
            int row = i * seq;
            for (int p = 0; p < seq; p++) {
                tokens[row + p] = e.tokenId(p);
            }
            for (int p = 0; p < e.length(); p++) {
                attention[row + p] = 1;
                segments[row + p] = p < e.firstSegmentLength() ? 0 : 1;
            }
            int[] selected = e.maskedPositions();
            int[] originals = e.maskedLabels();
            for (int k = 0; k < selected.length; k++) {
                positions[i * slots + k] = selected[k];
                labels[i * slots + k] = originals[k];
                weights[i * slots + k] = 1;
            }
            nsp[2 * i + e.nspLabel()] = 1;
        }
        long[] shape = {batch, seq};
        long[] slotShape = {batch, slots};
        return new BertBatch(array(tokens, shape, type), array(segments, shape, type), array(attention, shape, type),
                array(positions, slotShape, type), array(labels, slotShape, type), array(weights, slotShape, type),
                array(nsp, new long[] {batch, 2}, type));
    }

    /**
     * As the BERT pretraining graph takes it: features {@code [tokenIds, segmentIds, maskedPositions]} with
     * feature masks {@code [attentionMask, null, null]}; labels {@code [maskedLabels, nspLabels]} with label masks
     * {@code [maskedWeights, null]}.
     */
    public MultiDataSet toMultiDataSet() {
        return new MultiDataSet(new INDArray[] {tokenIds, segmentIds, maskedPositions},
                new INDArray[] {maskedLabels, nspLabels}, new INDArray[] {attentionMask, null, null},
                new INDArray[] {maskedWeights, null});
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
