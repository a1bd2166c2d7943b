package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Single-segment inputs for classification and embeddings. */
class EncodedDocumentTest {

    private final Vocabulary vocab = TestText.bertVocab();
    private final WordPieceTokenizer tokenizer = WordPieceTokenizer.shared(vocab);

    @Test
    void aShortDocumentIsClsItsTokensAndSep() {
        TextDocument doc = new TextDocument("a", "ham", List.of("Hello there.", "Bye."));
        EncodedDocument e = EncodedDocument.of(doc, tokenizer, 64);
        int[] expected = new int[] {vocab.clsId(), vocab.id("hello"), vocab.id("there"), vocab.id("."),
                vocab.id("bye"), vocab.id("."), vocab.sepId()};
        assertArrayEquals(expected, e.tokenIds());
        assertEquals("ham", e.label());
    }

    @Test
    void aLongDocumentKeepsItsFirstTokens() {
        TextDocument doc = TestText.documents("sotu", 1).get(0);
        EncodedDocument e = EncodedDocument.of(doc, tokenizer, 32);
        assertEquals(32, e.length());
        int[] first = tokenizer.encode(String.join(" ", doc.sentences().subList(0, 3)));
        assertArrayEquals(Arrays.copyOf(first, 30), Arrays.copyOfRange(e.tokenIds(), 1, 31));
        assertEquals(vocab.sepId(), e.tokenIds()[31]);
    }

    @Test
    void aBatchPadsToItsLongestDocument() {
        EncodedDocument a = new EncodedDocument("a", null, new int[] {101, 7, 8, 102});
        EncodedDocument b = new EncodedDocument("b", null, new int[] {101, 102});
        DocumentBatch batch = DocumentBatch.of(List.of(a, b), 0);
        assertEquals(Nd4j.createFromArray(new float[][] {{101, 7, 8, 102}, {101, 102, 0, 0}}), batch.tokenIds());
        assertEquals(Nd4j.createFromArray(new float[][] {{1, 1, 1, 1}, {1, 1, 0, 0}}), batch.attentionMask());
        assertEquals(Nd4j.zeros(DataType.FLOAT, 2, 4), batch.segmentIds());
    }
}
