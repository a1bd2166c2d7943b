/**
 * Text for BERT pretraining: corpora read and validated in Spark executors
 * ({@link io.pretext.data.text.TextCorpus}: plain-text folders, JSON Lines, Parquet; issues counted per
 * {@link io.pretext.data.text.TextIssueReason}), sentence splitting, WordPiece tokenization by BERT's
 * uncased rules ({@link io.pretext.data.text.WordPieceTokenizer} over a
 * {@link io.pretext.data.text.Vocabulary}), vocabulary building for domain corpora
 * ({@link io.pretext.data.text.VocabBuilder}), sentence pairs packed once
 * ({@link io.pretext.data.text.SequencePacker} -> {@link io.pretext.data.text.PackedSequence}) and masked per
 * epoch ({@link io.pretext.data.text.MlmMasker} -> {@link io.pretext.data.text.BertExample}), assembled into ND4J
 * minibatches in the BERT graph's layout ({@link io.pretext.data.text.BertBatch}); single-segment documents for
 * classification and embeddings ({@link io.pretext.data.text.EncodedDocument},
 * {@link io.pretext.data.text.DocumentBatch}).
 */
package io.pretext.data.text;
