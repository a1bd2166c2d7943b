package io.pretext.data.text;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One BERT pretraining sequence before masked-LM masking: {@code [CLS] A [SEP] B [SEP]} as WordPiece ids, without
 * padding. Pairing (which B follows which A) is decided once when sequences are packed ({@link SequencePacker});
 * masking is applied per epoch, seeded by (seed, epoch, id) ({@link MlmMasker}), so every epoch sees fresh masks.
 *
 * @param id                 stable id, {@code <document id>#<k>} for the document's k-th sequence (from 0); used
 *                           for sharding and for seeding the masks
 * @param tokenIds           {@code [CLS] A [SEP] B [SEP]}, length at most the configured maxSeqLength
 * @param firstSegmentLength tokens of {@code [CLS] A [SEP]}; positions from here on have segment id 1
 * @param randomNext         true when B is a segment of another document (the NSP "not next" class)
 * @param nextDocumentId     the document B comes from: A's own document unless {@code randomNext}
 */
public record PackedSequence(String id, int[] tokenIds, int firstSegmentLength, boolean randomNext,
        String nextDocumentId) implements Serializable {

    /** Separates the document id from the sequence's index in {@link #id}. */
    public static final char INDEX_SEPARATOR = '#';

    public PackedSequence {
        if (id == null || tokenIds == null || nextDocumentId == null) {
            throw new IllegalArgumentException("a packed sequence needs an id, token ids and the id of B's document");
        }
        if (id.lastIndexOf(INDEX_SEPARATOR) <= 0) {
            throw new IllegalArgumentException("packed sequence id " + id + " must be <document id>#<index>");
        }
        if (firstSegmentLength < 3 || firstSegmentLength > tokenIds.length - 2) {
            throw new IllegalArgumentException("firstSegmentLength " + firstSegmentLength + " does not fit "
                    + tokenIds.length + " tokens ([CLS], A and [SEP] need >= 3, B and its [SEP] >= 2)");
        }
    }

    /** The id of the sequence for its document and index. */
    public static String id(String documentId, int index) {
        return documentId + INDEX_SEPARATOR + index;
    }

    /** Real tokens, {@code [CLS]} and both {@code [SEP]} included. */
    public int length() {
        return tokenIds.length;
    }

    /** The document A comes from. */
    public String documentId() {
        return id.substring(0, id.lastIndexOf(INDEX_SEPARATOR));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackedSequence p && id.equals(p.id) && firstSegmentLength == p.firstSegmentLength
                && randomNext == p.randomNext && nextDocumentId.equals(p.nextDocumentId)
                && Arrays.equals(tokenIds, p.tokenIds);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.hashCode(tokenIds);
    }

    @Override
    public String toString() {
        return "PackedSequence[" + id + ", " + tokenIds.length + " tokens, A=" + firstSegmentLength
                + (randomNext ? ", random next from " + nextDocumentId + "]" : ", true next]");
    }
}
