package io.pretext.jobs.pretrain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.jobs.Version;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;

import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code RUN_DIR/manifest.json}: which model family made the run, from what data, with which versions.
 *
 * @param details what else the run depends on, as the family names it (e.g. BERT's vocabulary and its SHA-256);
 *                empty when none
 */
public record RunManifest(String model, String data, String createdAt, String pretextVersion, String dl4jVersion,
                          String sparkVersion, String javaVersion, Map<String, String> details) {

    public RunManifest {
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static RunManifest of(PretrainSpec<?> spec, String dataPath) {
        return new RunManifest(spec.model(), HadoopPaths.qualified(dataPath), Instant.now().toString(),
                Version.pretext(), Version.dl4j(), Version.spark(), System.getProperty("java.version"),
                spec.manifestDetails());
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
