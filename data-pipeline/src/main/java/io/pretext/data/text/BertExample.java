package io.pretext.data.text;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One BERT pretraining sequence: {@code [CLS] A [SEP] B [SEP]} padded to the sequence length, the
 * masked-LM targets and the next-sentence label. Stored compactly (the padded token ids, two
 * lengths and the selected positions); the dense per-position views are computed on request.
 */
public final class BertExample implements Serializable {

    private final int[] tokenIds;
    private final int length;
    private final int firstSegmentLength;
    private final int[] maskedPositions;
    private final int[] maskedLabels;
    private final boolean randomNext;
    private final String documentId;
    private final String nextDocumentId;

    /**
     * @param tokenIds           {@code [seq]} input ids after masking, padded with {@code [PAD]}
     * @param length             real tokens ({@code [CLS]} and both {@code [SEP]} included)
     * @param firstSegmentLength tokens of segment 0: {@code [CLS]}, A and the first {@code [SEP]}
     * @param maskedPositions    selected positions, ascending
     * @param maskedLabels       original token id at each selected position
     * @param randomNext         whether B comes from another document
     * @param documentId         the document A comes from
     * @param nextDocumentId     the document B comes from
     */
    public BertExample(int[] tokenIds, int length, int firstSegmentLength, int[] maskedPositions, int[] maskedLabels,
            boolean randomNext, String documentId, String nextDocumentId) {
        if (length > tokenIds.length || firstSegmentLength < 3 || firstSegmentLength > length - 2) {
            throw new IllegalArgumentException("sequence of " + tokenIds.length + " with length " + length
                    + " cannot have a first segment of " + firstSegmentLength);
        }
        if (maskedPositions.length != maskedLabels.length) {
            throw new IllegalArgumentException(maskedPositions.length + " masked positions but " + maskedLabels.length
                    + " labels");
        }
        this.tokenIds = tokenIds;
        this.length = length;
        this.firstSegmentLength = firstSegmentLength;
        this.maskedPositions = maskedPositions;
        this.maskedLabels = maskedLabels;
        this.randomNext = randomNext;
        this.documentId = documentId;
        this.nextDocumentId = nextDocumentId;
    }

    /** Sequence length (padded). */
    public int seqLength() {
        return tokenIds.length;
    }

    /** Real tokens, {@code [CLS]} and both {@code [SEP]} included. */
    public int length() {
        return length;
    }

    /** Tokens of segment 0: {@code [CLS]}, A and the first {@code [SEP]}. */
    public int firstSegmentLength() {
        return firstSegmentLength;
    }

    /** {@code [seq]} input ids after masking (a copy). */
    public int[] tokenIds() {
        return tokenIds.clone();
    }

    /** Input id at one position. */
    public int tokenId(int position) {
        return tokenIds[position];
    }

    /** {@code [seq]} 0 for segment A (with {@code [CLS]} and its {@code [SEP]}), 1 for B and its {@code [SEP]}, 0 in padding. */
    public int[] segmentIds() {
        int[] out = new int[tokenIds.length];
        Arrays.fill(out, firstSegmentLength, length, 1);
        return out;
    }

    /** {@code [seq]} 1 for real tokens, 0 for padding. */
    public int[] attentionMask() {
        int[] out = new int[tokenIds.length];
        Arrays.fill(out, 0, length, 1);
        return out;
    }

    /** {@code [seq]} the original token id at selected positions, 0 elsewhere. */
    public int[] mlmLabels() {
        int[] out = new int[tokenIds.length];
        for (int i = 0; i < maskedPositions.length; i++) {
            out[maskedPositions[i]] = maskedLabels[i];
        }
        return out;
    }

    /** {@code [seq]} 1 at selected positions, 0 elsewhere. */
    public int[] mlmMask() {
        int[] out = new int[tokenIds.length];
        for (int p : maskedPositions) {
            out[p] = 1;
        }
        return out;
    }

    /** Selected positions, ascending (a copy). */
    public int[] maskedPositions() {
        return maskedPositions.clone();
    }

    /** How many positions are selected for prediction. */
    public int maskedCount() {
        return maskedPositions.length;
    }

    /** Original ids at the selected positions (a copy). */
    public int[] maskedLabels() {
        return maskedLabels.clone();
    }

    /** NSP label: 1 when B comes from another document, 0 when B continues A. */
    public int nspLabel() {
        return randomNext ? 1 : 0;
    }

    public boolean randomNext() {
        return randomNext;
    }

    public String documentId() {
        return documentId;
    }

    public String nextDocumentId() {
        return nextDocumentId;
    }

    /** The original sequence: masked positions restored to their labels. */
    public int[] originalTokenIds() {
        int[] out = tokenIds.clone();
        for (int i = 0; i < maskedPositions.length; i++) {
            out[maskedPositions[i]] = maskedLabels[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BertExample e && e.length == length && e.firstSegmentLength == firstSegmentLength
                && e.randomNext == randomNext && Arrays.equals(e.tokenIds, tokenIds)
                && Arrays.equals(e.maskedPositions, maskedPositions) && Arrays.equals(e.maskedLabels, maskedLabels)
                && e.documentId.equals(documentId) && e.nextDocumentId.equals(nextDocumentId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokenIds) * 31 + Arrays.hashCode(maskedPositions);
    }

    @Override
    public String toString() {
        return "BertExample[" + documentId + (randomNext ? " + random " + nextDocumentId : " continued") + ", length "
                + length + "/" + tokenIds.length + ", A " + (firstSegmentLength - 2) + " tokens, "
                + maskedPositions.length + " masked]";
    }
}
