package io.pretext.jobs.preprocess;

import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.DedupConfig;
import io.pretext.data.dataset.InputConfig;
import io.pretext.data.dataset.ShardConfig;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.data.text.TextDataConfig;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.config.ConfigYaml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything {@code pretext preprocess} is configured by, one record per YAML section. Images: {@code data}
 * ({@link ImageDataConfig}: decoding and resizing, as for training), {@code input}, {@code dedup}, {@code shards}.
 * Text: {@code data} ({@link TextDataConfig}), {@code input}, {@code text} ({@link PackingConfig}: tokenizer and
 * packing), {@code dedup}, {@code shards}. Exactly one of {@code imageData} and {@code textData} is set.
 */
public record PreprocessConfig(String kind, ImageDataConfig imageData, TextDataConfig textData, InputConfig input,
                               PackingConfig text, DedupConfig dedup, ShardConfig shards) {

    public static final Set<String> IMAGE_SECTIONS = Set.of("data", "input", "dedup", "shards");
    public static final Set<String> TEXT_SECTIONS = Set.of("data", "input", "text", "dedup", "shards");

    public PreprocessConfig {
        boolean image = DatasetManifest.KIND_IMAGE.equals(kind);
        if (image == (imageData == null) || image == (textData != null) || image == (text != null)) {
            throw new IllegalStateException("a " + kind + " preprocessing config needs exactly its own sections");
        }
        if (image && dedup.near()) {
            throw new IllegalArgumentException("dedup.near applies to text only, got true for --kind image (exact "
                    + "duplicates of decoded images are always removed; set dedup.near=false in the dedup: section)");
        }
    }

    /** The sections a kind of preprocessing reads. */
    public static Set<String> sections(String kind) {
        return DatasetManifest.KIND_IMAGE.equals(kind) ? IMAGE_SECTIONS : TEXT_SECTIONS;
    }

    /** Binds the sections of {@code kind} ({@code image} or {@code text}) from a loaded source. */
    public static PreprocessConfig resolve(String kind, ConfigSource source) {
        InputConfig input = source.section("input", InputConfig.defaults());
        DedupConfig dedup = source.section("dedup", DedupConfig.defaults());
        ShardConfig shards = source.section("shards", ShardConfig.defaults());
        if (DatasetManifest.KIND_IMAGE.equals(kind)) {
            return new PreprocessConfig(kind, source.section("data", ImageDataConfig.defaults()), null, input, null,
                    dedup, shards);
        }
        return new PreprocessConfig(kind, null, source.section("data", TextDataConfig.defaults()), input,
                source.section("text", PackingConfig.defaults()), dedup, shards);
    }

    public boolean isImage() {
        return imageData != null;
    }

    /** The resolved sections in YAML, as the manifest records them. */
    public String toYaml() {
        return ConfigYaml.write(sections());
    }

    Map<String, Record> sections() {
        Map<String, Record> sections = new LinkedHashMap<>();
        sections.put("data", isImage() ? imageData : textData);
        sections.put("input", input);
        if (!isImage()) {
            sections.put("text", text);
        }
        sections.put("dedup", dedup);
        sections.put("shards", shards);
        return sections;
    }
}
