/**
 * Numeric feature corpora: CSV (header row) and Parquet files read through the Hadoop file system and
 * validated in Spark executors ({@link io.pretext.data.features.FeatureCorpus}), the rows
 * ({@link io.pretext.data.features.FeatureRecord}), the per-reason
 * {@link io.pretext.data.features.FeatureReport} of dropped and repaired rows, and the per-column
 * standardisation {@link io.pretext.data.features.FeatureStats} fitted on training data and saved with the
 * model.
 */
package io.pretext.data.features;
