package io.pretext.jobs.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretext.data.dataset.DatasetReader;
import io.pretext.data.text.BertExampleConfig;
import io.pretext.data.text.PackedSequence;
import io.pretext.data.text.SequencePacker;
import io.pretext.data.text.TextCorpus;
import io.pretext.data.text.TextDataConfig;
import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pretext preprocess --kind text} on State of the Union addresses: rejects, exact and near duplicates, the
 * tokenizer in the manifest, packed sequences equal to those of the raw corpus, and dedup against the dataset when
 * a partition is appended.
 */
class TextPreprocessTest {

    private static final String[] SETTINGS = {"text.vocab=" + Preprocessing.vocab(), "text.maxSeqLength=64",
            "text.groupSize=4", "shards.targetBytes=65536", "dedup.near=true"};

    @TempDir
    static Path dir;
    static Path corpus;
    static Path dataset;

    @BeforeAll
    static void preprocessOnce() throws IOException {
        corpus = Preprocessing.copyText("sotu", 10, dir.resolve("sotu"));
        Path first = corpus.resolve("1790_george_washington_n.txt");
        String shouted = Files.readString(first).toUpperCase().replace(" ", "   ").replace("\n", "\r\n\n");
        Files.writeString(corpus.resolve("shout-1790.txt"), shouted);
        Files.writeString(corpus.resolve("near-1791.txt"), oneWordChanged(corpus.resolve(
                "1791_george_washington_n.txt")));
        Files.write(corpus.resolve("binary.txt"), new byte[] {'a', 0, 'b', 0, 'c'});
        Files.write(corpus.resolve("empty.txt"), new byte[0]);
        dataset = dir.resolve("dataset");
        Preprocessing.Result r = Preprocessing.preprocess("text", corpus, dataset, SETTINGS);
        assertEquals(0, r.exit(), r.err());
    }

    /** The file's text with its middle word replaced. */
    static String oneWordChanged(Path file) throws IOException {
        String text = Files.readString(file);
        int middle = text.indexOf(' ', text.length() / 2);
        int next = text.indexOf(' ', middle + 1);
        return text.substring(0, middle + 1) + "somewhere" + text.substring(next);
    }

    private static List<PackedSequence> sequences(Path ds) {
        List<PackedSequence> out = new ArrayList<>(DatasetReader.open(LocalSpark.get(), ds.toString()).sequences()
                .collect());
        out.sort(Comparator.comparing(PackedSequence::id));
        return out;
    }

    private static Set<String> documents(List<PackedSequence> sequences) {
        Set<String> out = new TreeSet<>();
        sequences.forEach(s -> out.add(s.id().substring(0, s.id().lastIndexOf('#'))));
        return out;
    }

    @Test
    void binaryAndEmptyFilesAreRejectedByReason() {
        JsonNode counts = Preprocessing.manifest(dataset).get("counts");
        assertEquals(14, counts.get("read").asLong());
        assertEquals(1, counts.get("rejected").get("binary").asLong());
        assertEquals(1, counts.get("rejected").get("empty").asLong());
        Set<String> rejected = new TreeSet<>();
        Preprocessing.jsonLines(dataset.resolve("rejected.jsonl")).forEach(n -> rejected.add(n.get("id").asText()
                + ":" + n.get("reason").asText()));
        assertEquals(Set.of("binary.txt:binary", "empty.txt:empty"), rejected);
    }

    @Test
    void aCopyDifferingInCaseAndSpacingIsAnExactDuplicateAndAOneWordEditANearOne() {
        JsonNode counts = Preprocessing.manifest(dataset).get("counts");
        assertEquals(1, counts.get("duplicates").get("exact").asLong());
        assertEquals(1, counts.get("duplicates").get("near").asLong());
        assertEquals(10, counts.get("kept").asLong());
        Set<String> docs = documents(sequences(dataset));
        assertEquals(10, docs.size());
        assertTrue(docs.contains("1790_george_washington_n.txt"));
        assertTrue(docs.contains("1791_george_washington_n.txt"));
        assertFalse(docs.contains("shout-1790.txt"));
        assertFalse(docs.contains("near-1791.txt"));
    }

    @Test
    void nearDuplicatesStayWhenNearDeduplicationIsOff() {
        Path out = dir.resolve("exact-only");
        List<String> sets = new ArrayList<>(List.of(SETTINGS));
        sets.remove("dedup.near=true");
        assertEquals(0, Preprocessing.preprocess("text", corpus, out, sets.toArray(String[]::new)).exit());
        JsonNode counts = Preprocessing.manifest(out).get("counts");
        assertEquals(1, counts.get("duplicates").get("exact").asLong());
        assertEquals(0, counts.get("duplicates").get("near").asLong());
        assertTrue(documents(sequences(out)).contains("near-1791.txt"));
    }

    @Test
    void theManifestRecordsTheTokenizerSeedAndSequenceLayout() throws Exception {
        JsonNode m = Preprocessing.manifest(dataset);
        assertEquals("text", m.get("kind").asText());
        assertEquals(42, m.get("seed").asLong());
        JsonNode tokenizer = m.get("tokenizer");
        assertEquals("07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
                tokenizer.get("vocabSha256").asText());
        assertEquals(30522, tokenizer.get("vocabSize").asInt());
        assertEquals("PackedSequence", m.get("records").get("recordType").asText());
        assertEquals("uint16le", m.get("records").get("tokenEncoding").asText());
        assertEquals(64, m.get("records").get("maxSeqLength").asInt());
        List<PackedSequence> sequences = sequences(dataset);
        assertEquals(m.get("counts").get("records").asLong(), sequences.size());
        assertEquals(m.get("counts").get("tokens").asLong(), sequences.stream().mapToLong(PackedSequence::length)
                .sum());
        assertTrue(sequences.stream().allMatch(s -> s.length() <= 64));
        assertFalse(m.get("index").isEmpty(), "kept documents are indexed for later partitions");
        assertEquals(List.of(), DatasetReader.open(LocalSpark.get(), dataset.toString()).verify());
    }

    @Test
    void aTextDatasetYieldsTheSequencesPackedFromTheRawCorpus() {
        Path raw = Preprocessing.copyText("sotu", 9, dir.resolve("raw"));
        Path out = dir.resolve("raw-dataset");
        assertEquals(0, Preprocessing.preprocess("text", raw, out, SETTINGS).exit());

        SparkSession spark = LocalSpark.get();
        TextCorpus text = TextCorpus.open(spark, raw.toString(), TextDataConfig.defaults());
        List<PackedSequence> expected = new ArrayList<>(SequencePacker.sequences(text.documents(), text.count(),
                Vocabulary.load(Preprocessing.vocab()), new BertExampleConfig(64, 0.1, 0.5), 4, 42).collect());
        expected.sort(Comparator.comparing(PackedSequence::id));
        text.unpersist();
        assertTrue(expected.size() > 100, expected.size() + " sequences");
        assertEquals(expected, sequences(out));
    }

    @Test
    void anAppendedPartitionIsDeduplicatedAgainstTheDatasetsIndex() throws IOException {
        Path input = dir.resolve("daily");
        Path day1 = Preprocessing.copyText("sotu", 4, input.resolve("day-1"));
        Path out = dir.resolve("daily-dataset");
        List<String> sets = new ArrayList<>(List.of(SETTINGS));
        sets.add("input.partitioning=folders");
        String[] settings = sets.toArray(String[]::new);
        assertEquals(0, Preprocessing.preprocess("text", input, out, settings).exit());

        Path day2 = Files.createDirectories(input.resolve("day-2"));
        try (Stream<Path> later = Files.list(Preprocessing.sharedData().resolve("text/sotu"))) {
            for (Path f : later.sorted().skip(20).limit(2).toList()) {
                Files.copy(f, day2.resolve(f.getFileName()));
            }
        }
        Files.copy(day1.resolve("1790_george_washington_n.txt"), day2.resolve("again.txt"));
        Files.writeString(day2.resolve("edited.txt"), oneWordChanged(day1.resolve("1792_george_washington_n.txt")),
                StandardCharsets.UTF_8);
        Preprocessing.Result r = Preprocessing.preprocess("text", input, out, settings);
        assertEquals(0, r.exit(), r.err());

        JsonNode second = Preprocessing.manifest(out).get("partitions").get(1);
        assertEquals("day-2", second.get("name").asText());
        assertEquals(1, second.get("counts").get("duplicates").get("existing").asLong());
        assertEquals(1, second.get("counts").get("duplicates").get("near").asLong());
        assertEquals(2, second.get("counts").get("kept").asLong());
        Set<String> docs = documents(sequences(out));
        assertEquals(6, docs.size());
        assertTrue(docs.stream().allMatch(d -> d.startsWith("day-1/") || d.startsWith("day-2/1")), docs.toString());
    }
}
