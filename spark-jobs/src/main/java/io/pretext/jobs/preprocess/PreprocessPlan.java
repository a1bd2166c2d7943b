package io.pretext.jobs.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.data.dataset.DatasetLayout;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.InputPartition;
import io.pretext.data.dataset.SequenceShards;
import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.config.RecordBinder;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.hadoop.conf.Configuration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@code pretext preprocess} run will do, worked out on the driver before Spark starts: the settings and
 * their hash, the dataset as its manifest says it is, the input partitions, which of them are done, and the keys
 * that name the shards of the ones to do. Every refusal (other settings, a changed partition, an unreadable
 * vocabulary, an unwritable output) happens here.
 *
 * @param config       the resolved configuration
 * @param input        the input root, qualified
 * @param layout       the dataset directory
 * @param settings     the resolved sections as JSON
 * @param settingsHash hex SHA-256 of the settings with the vocabulary by content
 * @param vocabulary   text: the vocabulary; null for images
 * @param manifest     the dataset's manifest as committed (empty for a new dataset)
 * @param todo         partitions to process, in order, with their keys
 * @param upToDate     partitions committed with the same fingerprint
 * @param missing      committed partitions no longer in the input (kept in the dataset)
 */
public record PreprocessPlan(PreprocessConfig config, String input, DatasetLayout layout, JsonNode settings,
                             String settingsHash, Vocabulary vocabulary, DatasetManifest manifest, List<Work> todo,
                             List<String> upToDate, List<String> missing) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A partition to process and the key its files are named by. */
    public record Work(InputPartition partition, String key) {
    }

    /**
     * @param data the input (--data)
     * @param out  the dataset directory (--out), created when missing
     * @throws IllegalArgumentException for every reason the run cannot go ahead
     */
    public static PreprocessPlan make(PreprocessConfig config, String data, String out, Configuration conf) {
        HadoopPaths.requireExists(data, "--data");
        String input = HadoopPaths.of(data).toString();
        Vocabulary vocabulary = config.isImage() ? null : Vocabulary.load(config.text().vocabLocation(), conf);
        ObjectNode settings = JSON.createObjectNode();
        config.sections().forEach((name, record) -> settings.set(name, JSON.valueToTree(RecordBinder.toMap(record))));
        String settingsHash = settingsHash(settings, vocabulary);
        List<InputPartition> partitions = InputPartition.list(input, config.input(), conf);

        DatasetLayout layout = new DatasetLayout(RunDirectory.create(out).root().toString());
        String json = layout.readString(DatasetLayout.MANIFEST, conf);
        DatasetManifest manifest;
        if (json == null) {
            manifest = DatasetManifest.empty(config.kind(), input, settings, settingsHash,
                    config.isImage() ? null : config.text().seed(), tokenizer(config, vocabulary), records(config,
                            vocabulary));
        } else {
            manifest = DatasetManifest.parse(json, layout.path(DatasetLayout.MANIFEST).toString());
            requireSame(manifest, config, settings, settingsHash, out);
        }

        List<String> upToDate = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        Set<String> listed = new TreeSet<>();
        List<InputPartition> fresh = new ArrayList<>();
        for (InputPartition p : partitions) {
            listed.add(p.name());
            DatasetManifest.Partition done = manifest.partition(p.name());
            if (done == null) {
                fresh.add(p);
            } else if (done.fingerprint().equals(p.fingerprint())) {
                upToDate.add(p.name());
            } else {
                changed.add(p.name() + " (" + done.files() + " files, " + done.bytes() + " bytes when processed; "
                        + p.files() + " files, " + p.bytes() + " bytes now)");
            }
        }
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException("input partitions of --data " + data + " changed since they were "
                    + "preprocessed into " + out + ": " + String.join("; ", changed) + ". A committed partition is "
                    + "never processed again: restore it, add new data as a new partition folder "
                    + "(input.partitioning=folders), or preprocess into a new --out");
        }
        List<String> missing = manifest.partitions().stream().map(DatasetManifest.Partition::name)
                .filter(n -> !listed.contains(n)).toList();
        List<String> chain = new ArrayList<>(manifest.partitions().stream().map(DatasetManifest.Partition::key)
                .toList());
        List<Work> todo = new ArrayList<>();
        for (InputPartition p : fresh) {
            String key = partitionKey(settingsHash, p, chain);
            chain.add(key);
            todo.add(new Work(p, key));
        }
        return new PreprocessPlan(config, input, layout, settings, settingsHash, vocabulary, manifest, todo,
                upToDate, missing);
    }

    private static void requireSame(DatasetManifest manifest, PreprocessConfig config, JsonNode settings,
                                    String settingsHash, String out) {
        if (!manifest.kind().equals(config.kind())) {
            throw new IllegalArgumentException("--out " + out + " holds a " + manifest.kind() + " dataset; use --kind "
                    + manifest.kind() + " to add to it, or choose a new --out");
        }
        if (!manifest.settingsHash().equals(settingsHash)) {
            throw new IllegalArgumentException("--out " + out + " was preprocessed with other settings ("
                    + describeDifferences(manifest.settings(), settings) + "); a dataset keeps one set of settings: "
                    + "use the same --config/--set as before, or preprocess into a new --out");
        }
    }

    /** {@code text.maxSeqLength was 128, now 64; ...}, or the vocabulary when only its content differs. */
    static String describeDifferences(JsonNode before, JsonNode now) {
        List<String> out = new ArrayList<>();
        Set<String> sections = new TreeSet<>();
        before.fieldNames().forEachRemaining(sections::add);
        now.fieldNames().forEachRemaining(sections::add);
        for (String section : sections) {
            JsonNode a = before.path(section);
            JsonNode b = now.path(section);
            Set<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                if (!a.path(key).toString().equals(b.path(key).toString())) { // 5 as int and as long alike
                    out.add(section + "." + key + " was " + a.path(key) + ", now " + b.path(key));
                }
            }
        }
        return out.isEmpty() ? "the vocabulary's content differs" : String.join("; ", out);
    }

    /** SHA-256 of the settings JSON in which text.vocab is replaced by the vocabulary's own SHA-256. */
    static String settingsHash(ObjectNode settings, Vocabulary vocabulary) {
        ObjectNode copy = settings.deepCopy();
        if (vocabulary != null) {
            ((ObjectNode) copy.get("text")).put("vocab", "sha256:" + vocabulary.sha256());
        }
        return sha256(copy.toString());
    }

    /** 16 hex digits of SHA-256(settings hash, name, fingerprint, keys of the partitions before it). */
    static String partitionKey(String settingsHash, InputPartition p, List<String> before) {
        StringBuilder text = new StringBuilder(settingsHash).append('\n').append(p.name()).append('\n')
                .append(p.fingerprint());
        for (String k : before) {
            text.append('\n').append(k);
        }
        return sha256(text.toString()).substring(0, 16);
    }

    private static DatasetManifest.Tokenizer tokenizer(PreprocessConfig config, Vocabulary vocabulary) {
        return vocabulary == null ? null : new DatasetManifest.Tokenizer("wordpiece-uncased",
                config.text().vocabLocation(), vocabulary.sha256(), vocabulary.size());
    }

    private static DatasetManifest.RecordLayout records(PreprocessConfig config, Vocabulary vocabulary) {
        String compression = config.shards().compression();
        if (config.isImage()) {
            return DatasetManifest.RecordLayout.images(compression, config.imageData().channels(),
                    config.imageData().height(), config.imageData().width());
        }
        return DatasetManifest.RecordLayout.sequences(compression, config.text().maxSeqLength(),
                SequenceShards.encodingFor(vocabulary.size()));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keys of the partitions to do, for telling their files from stale ones. */
    Set<String> todoKeys() {
        Set<String> keys = new TreeSet<>();
        for (Work w : todo) {
            keys.add(w.key());
        }
        return keys;
    }

    /** Whether there is nothing to do. */
    public boolean isUpToDate() {
        return todo.isEmpty();
    }
}
