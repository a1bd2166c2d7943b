package io.pretext.jobs.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.util.LinkedHashMap;
import java.util.Map;

/** Writes resolved configurations: one YAML section per config record, keys in declaration order. */
public final class ConfigYaml {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private ConfigYaml() {
    }

    /** @param sections section name -> config record, in the order to write */
    public static String write(Map<String, ? extends Record> sections) {
        Map<String, Object> tree = new LinkedHashMap<>();
        sections.forEach((name, record) -> tree.put(name, RecordBinder.toMap(record)));
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the resolved configuration", e);
        }
    }
}
