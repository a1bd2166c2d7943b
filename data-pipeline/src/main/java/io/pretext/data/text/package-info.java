/**
 * Text for BERT pretraining: corpora read and validated in Spark executors
 * ({@link io.pretext.data.text.TextCorpus}: plain-text folders, JSON Lines, Parquet; issues counted per
 * {@link io.pretext.data.text.TextIssueReason}), sentence splitting, WordPiece tokenization by BERT's
 * uncased rules ({@link io.pretext.data.text.WordPieceTokenizer} over a
 * {@link io.pretext.data.text.Vocabulary}), vocabulary building for domain corpora
 * ({@link io.pretext.data.text.VocabBuilder}), and masked-LM + next-sentence examples
 * ({@link io.pretext.data.text.BertExamples}) assembled into ND4J minibatches
 * ({@link io.pretext.data.text.BertBatch}).
 */
package io.pretext.data.text;
