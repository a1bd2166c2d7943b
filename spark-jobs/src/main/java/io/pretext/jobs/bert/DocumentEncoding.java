package io.pretext.jobs.bert;

import io.pretext.data.text.EncodedDocument;
import io.pretext.data.text.TextDocument;
import io.pretext.data.text.Vocabulary;
import io.pretext.data.text.WordPieceTokenizer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.List;

/** Documents as single-segment encoder inputs, tokenized in the executors with the run's vocabulary. */
final class DocumentEncoding {

    private DocumentEncoding() {
    }

    /**
     * @param vocab        the run's vocabulary, broadcast
     * @param maxSeqLength tokens per document, {@code [CLS]} and {@code [SEP]} included
     */
    static JavaRDD<EncodedDocument> encode(JavaRDD<TextDocument> documents, Broadcast<Vocabulary> vocab,
                                           int maxSeqLength) {
        return documents.mapPartitions(it -> {
            WordPieceTokenizer tokenizer = WordPieceTokenizer.shared(vocab.value());
            List<EncodedDocument> out = new ArrayList<>();
            it.forEachRemaining(d -> out.add(EncodedDocument.of(d, tokenizer, maxSeqLength)));
            return out.iterator();
        }).setName("encoded documents");
    }
}
