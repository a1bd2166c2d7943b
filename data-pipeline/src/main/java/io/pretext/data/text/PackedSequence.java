package io.pretext.data.text;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One BERT pretraining sequence before masked-LM masking: {@code [CLS] A [SEP] B [SEP]} as WordPiece ids, without
 * padding. Pairing (which B follows which A) is decided once when sequences are packed; masking is applied per
 * epoch, seeded by (seed, epoch, id), so every epoch sees fresh masks.
 *
 * @param id                 stable id (document id and position), used for sharding and seeding
 * @param tokenIds           {@code [CLS] A [SEP] B [SEP]}, length at most the configured maxSeqLength
 * @param firstSegmentLength tokens of {@code [CLS] A [SEP]}; positions from here on have segment id 1
 * @param randomNext         true when B is a segment of another document (the NSP "not next" class)
 */
public record PackedSequence(String id, int[] tokenIds, int firstSegmentLength, boolean randomNext)
        implements Serializable {

    public PackedSequence {
        if (id == null || tokenIds == null) {
            throw new IllegalArgumentException("a packed sequence needs an id and token ids");
        }
        if (firstSegmentLength < 2 || firstSegmentLength > tokenIds.length) {
            throw new IllegalArgumentException("firstSegmentLength " + firstSegmentLength + " does not fit "
                    + tokenIds.length + " tokens");
        }
    }

    public int length() {
        return tokenIds.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackedSequence p && id.equals(p.id) && firstSegmentLength == p.firstSegmentLength
                && randomNext == p.randomNext && Arrays.equals(tokenIds, p.tokenIds);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.hashCode(tokenIds);
    }

    @Override
    public String toString() {
        return "PackedSequence[" + id + ", " + tokenIds.length + " tokens, A=" + firstSegmentLength
                + (randomNext ? ", random next]" : ", true next]");
    }
}
