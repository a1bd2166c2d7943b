package io.pretext.jobs.bert;

import io.pretext.data.text.BertBatch;
import io.pretext.data.text.BertExample;
import io.pretext.data.text.MaskingConfig;
import io.pretext.data.text.MlmMasker;
import io.pretext.data.text.PackedSequence;
import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.train.TrainingTask;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * BERT pretraining on Spark: a worker batch of packed sentence pairs is masked for the epoch, each sequence by
 * (seed, epoch, sequence id), so every epoch trains on fresh masks of the same pairs, and becomes one minibatch
 * in the pretraining graph's layout ({@link BertBatch}), padded to its longest sequence rounded up to a multiple
 * of {@value #PAD_MULTIPLE}. Padding to the batch rather than to {@code text.maxSeqLength} costs nothing when
 * sequences fill the length and saves the attention and feed-forward work on padding when a corpus has short
 * documents; the rounding keeps the number of distinct shapes the graph sees small.
 */
public final class BertTask implements TrainingTask<PackedSequence> {

    /** Batches are padded to a multiple of this many positions. */
    static final int PAD_MULTIPLE = 8;

    private final String graphJson;
    private final Broadcast<Vocabulary> vocab;
    private final MaskingConfig masking;
    private final int maxSeqLength;
    private transient MlmMasker masker;

    /**
     * @param vocab        the run's vocabulary, broadcast once for the whole run
     * @param maxSeqLength {@code text.maxSeqLength}: no batch is padded beyond it
     */
    public BertTask(String graphJson, Broadcast<Vocabulary> vocab, MaskingConfig masking, int maxSeqLength) {
        this.graphJson = graphJson;
        this.vocab = vocab;
        this.masking = masking;
        this.maxSeqLength = maxSeqLength;
    }

    @Override
    public String graphJson() {
        return graphJson;
    }

    @Override
    public String id(PackedSequence record) {
        return record.id();
    }

    @Override
    public MultiDataSet batch(List<PackedSequence> records, long seed, int epoch) {
        return BertBatch.of(mask(records, seed, epoch)).toMultiDataSet();
    }

    /** The records masked for {@code epoch} and padded to one length. */
    List<BertExample> mask(List<PackedSequence> records, long seed, int epoch) {
        MlmMasker m = masker();
        int length = paddedLength(records, maxSeqLength);
        List<BertExample> examples = new ArrayList<>(records.size());
        for (PackedSequence p : records) {
            examples.add(m.mask(p, length, seed, epoch));
        }
        return examples;
    }

    /** The longest sequence rounded up to a multiple of {@value #PAD_MULTIPLE}, at most {@code maxSeqLength}. */
    static int paddedLength(List<PackedSequence> records, int maxSeqLength) {
        int longest = 0;
        for (PackedSequence p : records) {
            longest = Math.max(longest, p.length());
        }
        int rounded = (longest + PAD_MULTIPLE - 1) / PAD_MULTIPLE * PAD_MULTIPLE;
        return Math.max(longest, Math.min(rounded, maxSeqLength));
    }

    private synchronized MlmMasker masker() {
        if (masker == null) {
            masker = new MlmMasker(vocab.value(), masking);
        }
        return masker;
    }
}
