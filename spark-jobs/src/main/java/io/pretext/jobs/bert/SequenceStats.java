package io.pretext.jobs.bert;

import io.pretext.data.text.PackedSequence;

import java.io.Serializable;

/**
 * Counts over packed sequences, summed in the executors.
 *
 * @param sequences  sequences
 * @param tokens     real tokens, {@code [CLS]} and {@code [SEP]} included
 * @param randomNext sequences whose B segment comes from another document
 * @param full       sequences of exactly the configured length
 */
record SequenceStats(long sequences, long tokens, long randomNext, long full) implements Serializable {

    static final SequenceStats NONE = new SequenceStats(0, 0, 0, 0);

    SequenceStats add(PackedSequence p, int maxSeqLength) {
        return new SequenceStats(sequences + 1, tokens + p.length(), randomNext + (p.randomNext() ? 1 : 0),
                full + (p.length() == maxSeqLength ? 1 : 0));
    }

    SequenceStats merge(SequenceStats o) {
        return new SequenceStats(sequences + o.sequences, tokens + o.tokens, randomNext + o.randomNext,
                full + o.full);
    }

    double meanLength() {
        return sequences == 0 ? 0 : (double) tokens / sequences;
    }
}
