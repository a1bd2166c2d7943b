package io.pretext.jobs.bert;

import io.pretext.data.text.BertBatch;
import io.pretext.data.text.BertExample;
import io.pretext.data.text.MlmMasker;
import io.pretext.data.text.PackedSequence;
import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.report.ReportSection;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * BERT's report section: a few sequences set aside from training, masked as training masks, each masked position
 * with its context, the original token and the model's top predictions with their probabilities, so that a reader
 * sees what the model has learnt. Drawn at the start (the model as initialised) and replaced after training.
 */
final class MaskedPredictions {

    /** Predictions shown per masked position. */
    static final int TOP = 5;
    /** Tokens of context shown on either side of a masked position. */
    static final int CONTEXT = 8;
    /** Masked positions shown per sequence. */
    static final int POSITIONS_PER_SEQUENCE = 6;

    private MaskedPredictions() {
    }

    static ReportSection of(ComputationGraph graph, List<PackedSequence> heldOut, Vocabulary vocab,
                            BertRunConfig config, boolean trained) {
        MlmMasker masker = new MlmMasker(vocab, config.masking());
        long seed = config.eval().seed();
        int length = heldOut.stream().mapToInt(PackedSequence::length).max().orElse(0);
        List<BertExample> examples = heldOut.stream().map(p -> masker.mask(p, length, seed, 0)).toList();
        BertBatch batch = BertBatch.of(examples);
        MultiDataSet data = batch.toMultiDataSet();
        INDArray probabilities = graph.output(false, data.getFeatures(), data.getFeaturesMaskArrays())[0]; // [B*P, V]
        int slots = (int) batch.maskedPositions().size(1);
        List<List<String>> rows = new ArrayList<>();
        int correct = 0;
        for (int i = 0; i < examples.size(); i++) {
            BertExample e = examples.get(i);
            int[] input = e.tokenIds();
            int[] positions = e.maskedPositions();
            int[] labels = e.maskedLabels();
            for (int k = 0; k < positions.length; k++) {
                INDArray row = probabilities.getRow((long) i * slots + k); // [V]
                int[] top = topK(row.toFloatVector(), TOP);
                if (top[0] == labels[k]) {
                    correct++;
                }
                if (k >= POSITIONS_PER_SEQUENCE) {
                    continue;
                }
                int p = positions[k];
                String context = WordPieces.text(vocab, input, p - CONTEXT, p)
                        + " \u00ab" + vocab.token(input[p]) + "\u00bb "
                        + WordPieces.text(vocab, input, p + 1, p + 1 + CONTEXT);
                StringBuilder predictions = new StringBuilder();
                for (int id : top) {
                    predictions.append(predictions.length() == 0 ? "" : "  ").append(vocab.token(id))
                            .append(String.format(Locale.ROOT, " (%.2f)", row.getFloat(id)));
                }
                String replaced = input[p] == vocab.maskId() ? "[MASK]" : input[p] == labels[k] ? "kept" : "random";
                rows.add(List.of(String.valueOf(i + 1), context.strip(), vocab.token(labels[k]), replaced,
                        predictions.toString()));
            }
        }
        int masked = examples.stream().mapToInt(BertExample::maskedCount).sum();
        String text = String.format(Locale.ROOT, "%d sequences set aside from training (eval.reportSequences), "
                        + "masked as training masks them (eval.seed %d); for up to %d masked positions of each: the "
                        + "context as the model saw it (the position in \u00ab\u00bb: [MASK], a random token or the "
                        + "token kept), the original token and the model's top %d predictions with their probabilities, "
                        + "%s. Top-1 correct on all %d masked positions of these sequences: %d.",
                heldOut.size(), seed, POSITIONS_PER_SEQUENCE, TOP,
                trained ? "after training" : "at initialisation (replaced when training ends)", masked, correct);
        return new ReportSection("masked-predictions", "Masked-token predictions", text, List.of(),
                new ReportSection.Table(List.of("sequence", "context", "original", "input", "top predictions"),
                        rows));
    }

    /** Indices of the k largest values, largest first. */
    static int[] topK(float[] values, int k) {
        int n = Math.min(k, values.length);
        int[] top = new int[n];
        float[] best = new float[n];
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (v <= best[n - 1]) {
                continue;
            }
            int at = n - 1;
            while (at > 0 && best[at - 1] < v) {
                best[at] = best[at - 1];
                top[at] = top[at - 1];
                at--;
            }
            best[at] = v;
            top[at] = i;
        }
        return top;
    }
}
