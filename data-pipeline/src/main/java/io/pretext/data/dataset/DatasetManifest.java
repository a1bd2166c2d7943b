package io.pretext.data.dataset;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code DATASET/manifest.json}: what a preprocessed dataset holds and how it was made. The manifest is the commit
 * point: a reader trusts exactly the shards it lists, and a partition becomes part of the dataset when a manifest
 * listing it replaces the previous one (files are written first, the manifest last).
 *
 * @param format       always {@value #FORMAT}: how a dataset directory is recognised
 * @param version      layout version, {@value #VERSION}
 * @param kind         {@code image} (shards of {@code ImageRecord}) or {@code text} (shards of {@code PackedSequence})
 * @param input        the input root the partitions were listed under
 * @param settings     the resolved configuration sections the dataset was made with
 * @param settingsHash hex SHA-256 of {@code settings} (with the vocabulary by content, not path): a run with other
 *                     settings is refused
 * @param seed         the seed of every random draw (text packing, MinHash); null for images, which draw none
 * @param tokenizer    text: the tokenizer and its vocabulary; null for images
 * @param records      what one shard row holds
 * @param counts       totals over all partitions
 * @param partitions   committed input partitions, in the order they were processed
 * @param shards       every shard file of the dataset, partition by partition
 * @param index        text: per-partition files of kept documents' hashes (and shingles with near-dedup), read when a
 *                     later partition is deduplicated against the dataset; empty for images, whose shards carry hashes
 * @param createdAt    when the first partition was committed (ISO-8601)
 * @param updatedAt    when the last partition was committed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetManifest(String format, int version, String kind, String input, JsonNode settings,
                              String settingsHash, Long seed, Tokenizer tokenizer, RecordLayout records, Counts counts,
                              List<Partition> partitions, List<Shard> shards, List<Shard> index, String createdAt,
                              String updatedAt) {

    public static final String FORMAT = "pretext-dataset";
    public static final int VERSION = 1;
    public static final String KIND_IMAGE = "image";
    public static final String KIND_TEXT = "text";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public DatasetManifest {
        Objects.requireNonNull(kind, "kind");
        partitions = List.copyOf(partitions);
        shards = List.copyOf(shards);
        index = index == null ? List.of() : List.copyOf(index);
    }

    /**
     * The tokenizer of a text dataset.
     *
     * @param name         {@code wordpiece-uncased}
     * @param vocab        where the vocabulary was read from
     * @param vocabSha256  {@code Vocabulary.sha256()}: equals {@code sha256sum vocab.txt} for LF line ends
     * @param vocabSize    entries
     */
    public record Tokenizer(String name, String vocab, String vocabSha256, int vocabSize) {
    }

    /**
     * What one shard row holds: a Parquet row of {@code recordType}.
     *
     * @param container     {@code parquet}
     * @param compression   Parquet codec
     * @param recordType    {@code ImageRecord} or {@code PackedSequence}
     * @param channels      images: channels of every image
     * @param height        images: rows
     * @param width         images: columns
     * @param maxSeqLength  text: the longest sequence, [CLS] and [SEP]s included
     * @param tokenEncoding text: how token ids are packed into the {@code tokens} column, {@code uint16le} (a vocabulary
     *                      of up to 65,536 entries) or {@code int32le}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RecordLayout(String container, String compression, String recordType, Integer channels,
                               Integer height, Integer width, Integer maxSeqLength, String tokenEncoding) {

        public static RecordLayout images(String compression, int channels, int height, int width) {
            return new RecordLayout("parquet", compression, "ImageRecord", channels, height, width, null, null);
        }

        public static RecordLayout sequences(String compression, int maxSeqLength, String tokenEncoding) {
            return new RecordLayout("parquet", compression, "PackedSequence", null, null, null, maxSeqLength,
                    tokenEncoding);
        }
    }

    /**
     * What happened to the inputs.
     *
     * @param read       inputs read (files, rows, lines): usable and rejected
     * @param rejected   inputs left out, by reason ({@code empty_file}, {@code binary}, ...)
     * @param repaired   text: inputs kept after a repair, by reason ({@code utf8_replaced}, {@code line_truncated})
     * @param duplicates usable inputs removed as duplicates
     * @param kept       inputs in the dataset: usable minus duplicates
     * @param records    shard rows: images (= kept) or packed sequences
     * @param tokens     text: tokens in all sequences, [CLS] and [SEP]s included; 0 for images
     */
    public record Counts(long read, Map<String, Long> rejected, Map<String, Long> repaired, Duplicates duplicates,
                         long kept, long records, long tokens) {

        public Counts {
            rejected = Collections.unmodifiableMap(new TreeMap<>(rejected));
            repaired = Collections.unmodifiableMap(new TreeMap<>(repaired));
        }

        public static Counts zero() {
            return new Counts(0, Map.of(), Map.of(), new Duplicates(0, 0, 0), 0, 0, 0);
        }

        public long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }

        public Counts plus(Counts o) {
            return new Counts(read + o.read, sum(rejected, o.rejected), sum(repaired, o.repaired),
                    duplicates.plus(o.duplicates), kept + o.kept, records + o.records, tokens + o.tokens);
        }

        private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
            Map<String, Long> out = new TreeMap<>(a);
            b.forEach((k, v) -> out.merge(k, v, Long::sum));
            return out;
        }
    }

    /**
     * Usable inputs removed as duplicates; which of a group is kept is fixed: a record already in the dataset (an
     * earlier partition), else the smallest id.
     *
     * @param exact    same content hash as another input of the same partition
     * @param existing same content hash as a record of an earlier partition
     * @param near     text: at least {@code dedup.similarity} alike (Jaccard of shingles) to a document that sorts
     *                 before it (earlier partition, else smaller id)
     */
    public record Duplicates(long exact, long existing, long near) {

        public long total() {
            return exact + existing + near;
        }

        public Duplicates plus(Duplicates o) {
            return new Duplicates(exact + o.exact, existing + o.existing, near + o.near);
        }
    }

    /**
     * A committed input partition.
     *
     * @param name        {@code .} (the whole input) or the sub-folder's name
     * @param key         16 hex digits naming its shards: a hash of the settings, the name, the fingerprint and the
     *                    keys of the partitions before it
     * @param files       files listed under it
     * @param bytes       their total size
     * @param fingerprint {@link InputPartition#fingerprint()} when it was processed
     * @param counts      what became of its inputs
     * @param committedAt when it was committed (ISO-8601)
     */
    public record Partition(String name, String key, long files, long bytes, String fingerprint, Counts counts,
                            String committedAt) {
    }

    /**
     * One file of the dataset.
     *
     * @param path      relative to the dataset root, e.g. {@code shards/3f2a...-00002-of-00008.parquet}
     * @param partition the input partition it holds records of
     * @param records   rows
     * @param bytes     file size
     * @param sha256    hex SHA-256 of the file
     */
    public record Shard(String path, String partition, long records, long bytes, String sha256) {
    }

    /** A manifest with no partition yet. */
    public static DatasetManifest empty(String kind, String input, JsonNode settings, String settingsHash, Long seed,
                                        Tokenizer tokenizer, RecordLayout records) {
        return new DatasetManifest(FORMAT, VERSION, kind, input, settings, settingsHash, seed, tokenizer, records,
                Counts.zero(), List.of(), List.of(), List.of(), null, null);
    }

    /** This manifest with one more committed partition, its shards and index files. */
    public DatasetManifest plus(Partition partition, List<Shard> newShards, List<Shard> newIndex, String now) {
        List<Partition> p = new ArrayList<>(partitions);
        p.add(partition);
        List<Shard> s = new ArrayList<>(shards);
        s.addAll(newShards);
        List<Shard> i = new ArrayList<>(index);
        i.addAll(newIndex);
        return new DatasetManifest(format, version, kind, input, settings, settingsHash, seed, tokenizer, records,
                counts.plus(partition.counts()), p, s, i, createdAt == null ? now : createdAt, now);
    }

    public Partition partition(String name) {
        return partitions.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    @JsonIgnore
    public boolean isImage() {
        return KIND_IMAGE.equals(kind);
    }

    @JsonIgnore
    public boolean isText() {
        return KIND_TEXT.equals(kind);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the dataset manifest", e);
        }
    }

    /**
     * Parses a manifest.
     *
     * @throws IllegalArgumentException when it is not JSON of a dataset manifest of a known version
     */
    public static DatasetManifest parse(String json, String origin) {
        DatasetManifest m;
        try {
            m = JSON.readValue(json, DatasetManifest.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException(origin + " is not a dataset manifest: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(m.format())) {
            throw new IllegalArgumentException(origin + " is not a dataset manifest (format \"" + m.format()
                    + "\", expected \"" + FORMAT + "\")");
        }
        if (m.version() != VERSION) {
            throw new IllegalArgumentException(origin + " has layout version " + m.version() + "; this Pretext reads "
                    + "version " + VERSION + " (re-run pretext preprocess into a new directory)");
        }
        return m;
    }
}
