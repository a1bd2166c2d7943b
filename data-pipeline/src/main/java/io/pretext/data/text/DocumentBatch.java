package io.pretext.data.text;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A minibatch of {@link EncodedDocument}s as the BERT encoder takes them, row {@code i} being document {@code i},
 * padded with {@code [PAD]} to the longest document of the batch. Float arrays (ids are exact below 2^24).
 *
 * @param tokenIds      {@code [batch, seq]} {@code [CLS] tokens [SEP] [PAD]...}
 * @param segmentIds    {@code [batch, seq]} all 0: one segment
 * @param attentionMask {@code [batch, seq]} 1 for real tokens, 0 for padding
 */
public record DocumentBatch(INDArray tokenIds, INDArray segmentIds, INDArray attentionMask) {

    public static DocumentBatch of(List<EncodedDocument> documents, int padId) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("a document batch needs at least one document");
        }
        int batch = documents.size();
        int seq = 0;
        for (EncodedDocument d : documents) {
            seq = Math.max(seq, d.length());
        }
        float[] tokens = new float[batch * seq];
        float[] attention = new float[batch * seq];
        Arrays.fill(tokens, padId);
        for (int i = 0; i < batch; i++) {
            int[] ids = documents.get(i).tokenIds();
            for (int p = 0; p < ids.length; p++) {
                tokens[i * seq + p] = ids[p];
                attention[i * seq + p] = 1;
            }
        }
        long[] shape = {batch, seq};
        return new DocumentBatch(Nd4j.create(tokens, shape, DataType.FLOAT), Nd4j.zeros(DataType.FLOAT, shape),
                Nd4j.create(attention, shape, DataType.FLOAT));
    }

    public int size() {
        return (int) tokenIds.size(0);
    }
}
