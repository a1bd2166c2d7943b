package io.pretext.zoo.bert;

import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random pretraining minibatches laid out as {@link Bert} documents: ids 0 = [PAD], 1 = [CLS], 2 = [SEP],
 * 3 = [MASK], ordinary tokens from 4 up.
 */
final class BertBatches {

    static final int PAD = 0;
    static final int CLS = 1;
    static final int SEP = 2;
    static final int MASK = 3;

    private BertBatches() {
    }

    /**
     * @param lengths     real tokens per example (the rest is padding), each in [4, seq]
     * @param predictions MLM slots per example; each example uses min(predictions, length - 3) of them
     */
    static MultiDataSet batch(int vocabSize, int seq, int predictions, int[] lengths, long seed) {
        Random random = new Random(seed);
        int b = lengths.length;
        double[][] tokens = new double[b][seq];
        double[][] segments = new double[b][seq];
        double[][] mask = new double[b][seq];
        double[][] positions = new double[b][predictions];
        double[][] mlmLabels = new double[b][predictions];
        double[][] mlmWeights = new double[b][predictions];
        double[][] nsp = new double[b][2];
        for (int i = 0; i < b; i++) {
            int length = lengths[i];
            int split = 1 + (length - 2) / 2;                   // [CLS] A.. [SEP] B.. [SEP]
            for (int t = 0; t < length; t++) {
                tokens[i][t] = t == 0 ? CLS : t == split || t == length - 1 ? SEP : 4 + random.nextInt(vocabSize - 4);
                segments[i][t] = t > split ? 1 : 0;
                mask[i][t] = 1;
            }
            int used = Math.min(predictions, length - 3);
            int[] candidates = random.ints(1, length - 1).filter(t -> t != split).distinct().limit(used).toArray();
            for (int j = 0; j < used; j++) {
                int t = candidates[j];
                positions[i][j] = t;
                mlmLabels[i][j] = tokens[i][t];
                mlmWeights[i][j] = 1;
                tokens[i][t] = MASK;
            }
            nsp[i][random.nextInt(2)] = 1;
        }
        return new MultiDataSet(
                new INDArray[] {array(tokens), array(segments), array(positions)},
                new INDArray[] {array(mlmLabels), array(nsp)},
                new INDArray[] {array(mask), null, null},
                new INDArray[] {array(mlmWeights), null});
    }

    static INDArray array(double[][] values) {
        return Nd4j.createFromArray(values).castTo(Nd4j.defaultFloatingPointType());
    }
}
