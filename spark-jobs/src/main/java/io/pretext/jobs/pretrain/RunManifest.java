package io.pretext.jobs.pretrain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.jobs.Version;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;

import java.io.IOException;
import java.time.Instant;

/** {@code RUN_DIR/manifest.json}: which model family made the run, from what data, with which versions. */
public record RunManifest(String model, String data, String createdAt, String pretextVersion, String dl4jVersion,
                          String sparkVersion, String javaVersion) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static RunManifest of(PretrainSpec<?> spec, String dataPath) {
        return new RunManifest(spec.model(), HadoopPaths.qualified(dataPath), Instant.now().toString(),
                Version.pretext(), Version.dl4j(), Version.spark(), System.getProperty("java.version"));
    }

    public static RunManifest read(RunDirectory run) {
        if (!run.exists(RunDirectory.MANIFEST)) {
            throw new IllegalArgumentException(run + " is not a Pretext run directory (no manifest.json)");
        }
        try {
            return JSON.readValue(run.readString(RunDirectory.MANIFEST), RunManifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable " + run.path(RunDirectory.MANIFEST) + ": " + e.getMessage());
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
