package io.pretext.jobs.preprocess;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.data.dataset.DatasetManifest;

import java.util.List;

/**
 * What one {@code pretext preprocess} run did, printed as JSON at the end.
 *
 * @param datasetPath   the dataset directory
 * @param kind          image or text
 * @param processed     partitions processed and committed by this run
 * @param upToDate      partitions already in the dataset with the same input (skipped)
 * @param missing       partitions in the dataset but no longer in the input (kept)
 * @param shardsWritten shard and index files written by this run
 * @param shardsReused  files an interrupted run had finished, taken over without writing them again
 * @param run           counts of the partitions this run processed
 * @param dataset       counts of the whole dataset after the run
 * @param shards        shard files in the dataset
 * @param elapsedMillis wall time of the run
 */
public record PreprocessSummary(String datasetPath, String kind, List<String> processed, List<String> upToDate,
                                List<String> missing, int shardsWritten, int shardsReused, DatasetManifest.Counts run,
                                DatasetManifest.Counts dataset, int shards, long elapsedMillis) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the preprocessing summary", e);
        }
    }
}
