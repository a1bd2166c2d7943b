package io.pretext.jobs.pretrain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.Map;

/** {@code RUN_DIR/summary.json}: what a finished pretraining run did. */
public record RunSummary(String model, String runDir, long parameters, long steps, int epochs, long examples,
                         double finalLoss, double examplesPerSecond, long trainMillis, long totalMillis, int workers,
                         long recordsRead, long recordsUsed, Map<String, Long> rejected, String lastCheckpoint,
                         String resumedFrom, String sparkMaster, String finishedAt) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
