package io.pretext.jobs.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pretext.jobs.storage.HadoopPaths;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The layered settings of one run: a preset, then the YAML file, then {@code --set section.key=value} overrides.
 *
 * <p>Holds raw values per section; {@link #section} binds one section onto its config record, which validates.
 * Unknown sections are refused here, unknown keys by {@link RecordBinder}.
 */
public final class ConfigSource {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    private final Set<String> validSections;
    private final Set<String> used = new TreeSet<>();

    private ConfigSource(Set<String> validSections) {
        this.validSections = validSections;
    }

    /**
     * @param validSections the sections this kind of run understands, e.g. data, augment, model, optimizer, train
     * @param preset        dotted overrides of a named preset (may be empty)
     * @param file          a YAML file as a Hadoop URI or local path, or null
     * @param sets          {@code section.key=value} overrides, applied last
     */
    public static ConfigSource load(Set<String> validSections, Map<String, Object> preset, String file,
                                    List<String> sets) {
        ConfigSource source = new ConfigSource(validSections);
        preset.forEach((k, v) -> source.put(k, v, "preset"));
        if (file != null) {
            source.merge(readYaml(file), file);
        }
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set " + set + " is not of the form section.key=value "
                        + "(for example --set train.epochs=5)");
            }
            source.put(set.substring(0, eq).trim(), parseScalar(set.substring(eq + 1)), "--set");
        }
        return source;
    }

    /** Binds a section onto its record; keys the run never set keep the defaults. */
    public <R extends Record> R section(String name, R defaults) {
        if (!validSections.contains(name)) {
            throw new IllegalStateException("section " + name + " is not declared for this run");
        }
        used.add(name);
        return RecordBinder.bind(name, sections.getOrDefault(name, Map.of()), defaults);
    }

    /** The raw value of a dotted key, or null when the run does not set it. */
    public Object raw(String dottedKey) {
        int dot = dottedKey.indexOf('.');
        Map<String, Object> section = sections.get(dottedKey.substring(0, dot));
        return section == null ? null : section.get(dottedKey.substring(dot + 1));
    }

    private void merge(Map<String, Object> yaml, String origin) {
        for (Map.Entry<String, Object> e : yaml.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> m)) {
                if (e.getValue() == null) {
                    checkSection(e.getKey(), origin);
                    continue;
                }
                throw new IllegalArgumentException(origin + ": top-level key " + e.getKey()
                        + " must be a section (valid sections: " + String.join(", ", validSections) + ")");
            }
            for (Map.Entry<?, ?> kv : m.entrySet()) {
                put(e.getKey() + "." + kv.getKey(), kv.getValue(), origin);
            }
        }
    }

    private void put(String dottedKey, Object value, String origin) {
        int dot = dottedKey.indexOf('.');
        if (dot <= 0 || dot == dottedKey.length() - 1 || dottedKey.indexOf('.', dot + 1) >= 0) {
            throw new IllegalArgumentException(origin + ": key " + dottedKey
                    + " must be section.key (for example train.epochs)");
        }
        String section = dottedKey.substring(0, dot);
        checkSection(section, origin);
        sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(dottedKey.substring(dot + 1), value);
    }

    private void checkSection(String section, String origin) {
        if (!validSections.contains(section)) {
            throw new IllegalArgumentException(origin + ": unknown section " + section
                    + " (valid sections: " + String.join(", ", validSections) + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readYaml(String file) {
        Path path = HadoopPaths.of(file);
        try {
            FileSystem fs = HadoopPaths.fileSystem(path);
            if (!fs.exists(path)) {
                throw new IllegalArgumentException("config file " + file + " does not exist");
            }
            try (InputStream in = fs.open(path)) {
                Object parsed = YAML.readValue(in, Object.class);
                if (parsed == null) {
                    return Map.of();
                }
                if (!(parsed instanceof Map)) {
                    throw new IllegalArgumentException("config file " + file
                            + " must hold sections (data:, model:, train: ...), got " + parsed.getClass().getSimpleName());
                }
                return (Map<String, Object>) parsed;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    static Object parseScalar(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return "";
        }
        try {
            Object v = YAML.readValue(s, Object.class);
            return v instanceof Map ? s : v;
        } catch (IOException e) {
            return s;
        }
    }

    /** All values as section maps, for diagnostics. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        sections.forEach((s, m) -> m.forEach((k, v) -> out.add(s + "." + k + "=" + v)));
        return out;
    }
}
