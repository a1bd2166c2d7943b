/**
 * Image corpora: reading (folders of image files, Parquet, IDX) through the Hadoop file system,
 * decoding and validating in Spark executors ({@link io.pretext.data.image.ImageDecoder}), the
 * decoded {@link io.pretext.data.image.ImageRecord}s and the per-reason
 * {@link io.pretext.data.image.RejectReport} of what was left out.
 */
package io.pretext.data.image;
