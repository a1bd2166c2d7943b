/**
 * Preprocessed datasets: corpora decoded, validated, deduplicated and (text) packed once by
 * {@code pretext preprocess}, stored as Parquet shards that many training runs stream.
 *
 * <p>A dataset directory holds {@link io.pretext.data.dataset.DatasetManifest manifest.json} (the commit point:
 * settings, vocabulary hash, seed, inputs, counts, and every shard with its record count and SHA-256), the shards
 * ({@link io.pretext.data.dataset.ImageShards image records} or
 * {@link io.pretext.data.dataset.SequenceShards packed sequences}), a
 * {@link io.pretext.data.dataset.DocumentIndex document index} for text, and {@code rejected.jsonl}
 * ({@link io.pretext.data.dataset.DatasetLayout}). Shards are written in executors by
 * {@link io.pretext.data.dataset.ShardWriter} (temporary name, then rename) and read back by
 * {@link io.pretext.data.dataset.DatasetReader}; {@link io.pretext.data.image.ImageCorpus#open} reads an image
 * dataset wherever a corpus path is accepted. What counts as the same input is
 * {@link io.pretext.data.dataset.InputPartition}'s fingerprint; what counts as the same record is
 * {@link io.pretext.data.dataset.ContentHash}.
 */
package io.pretext.data.dataset;
