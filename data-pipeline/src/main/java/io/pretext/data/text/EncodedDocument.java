package io.pretext.data.text;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A document as one single-segment BERT input, {@code [CLS] tokens [SEP]} without padding, for classification and
 * embeddings: the document's first {@code maxSeqLength - 2} WordPiece tokens (sentences in order; the rest is cut).
 *
 * @param id       the document's id
 * @param label    the document's label, or null
 * @param tokenIds {@code [CLS] tokens [SEP]}, at least the two special tokens
 */
public record EncodedDocument(String id, String label, int[] tokenIds) implements Serializable {

    public EncodedDocument {
        if (id == null || tokenIds == null || tokenIds.length < 2) {
            throw new IllegalArgumentException("an encoded document needs an id and at least [CLS] and [SEP]");
        }
    }

    /**
     * Encodes a document; tokenizes only as many sentences as fit.
     *
     * @param maxSeqLength tokens including {@code [CLS]} and {@code [SEP]}, at least 3
     */
    public static EncodedDocument of(TextDocument document, WordPieceTokenizer tokenizer, int maxSeqLength) {
        if (maxSeqLength < 3) {
            throw new IllegalArgumentException("maxSeqLength must be >= 3 ([CLS], a token, [SEP]), got "
                    + maxSeqLength);
        }
        Vocabulary vocab = tokenizer.vocabulary();
        int room = maxSeqLength - 2;
        int[] tokens = new int[maxSeqLength];
        tokens[0] = vocab.clsId();
        int n = 1;
        for (String sentence : document.sentences()) {
            if (n - 1 >= room) {
                break;
            }
            int[] ids = tokenizer.encode(sentence);
            int take = Math.min(ids.length, room - (n - 1));
            System.arraycopy(ids, 0, tokens, n, take);
            n += take;
        }
        tokens[n++] = vocab.sepId();
        return new EncodedDocument(document.id(), document.label(), Arrays.copyOf(tokens, n));
    }

    /** Real tokens, {@code [CLS]} and {@code [SEP]} included. */
    public int length() {
        return tokenIds.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedDocument d && id.equals(d.id) && Objects.equals(label, d.label)
                && Arrays.equals(tokenIds, d.tokenIds);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.hashCode(tokenIds);
    }

    @Override
    public String toString() {
        return "EncodedDocument[" + id + (label == null ? "" : ", label " + label) + ", " + tokenIds.length
                + " tokens]";
    }
}
