package io.pretext.jobs.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.text.BertExampleConfig;
import io.pretext.data.text.MaskingConfig;
import io.pretext.data.text.MlmMasker;
import io.pretext.data.text.PackedSequence;
import io.pretext.data.text.SentenceSplitter;
import io.pretext.data.text.SequencePacker;
import io.pretext.data.text.TextDocument;
import io.pretext.data.text.Vocabulary;
import io.pretext.data.text.WordPieceTokenizer;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleText;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text workflow end to end on real text and local Spark with two workers: a vocabulary built from Moby-Dick
 * chapters, a small BERT pretrained on them, then evaluated on held-out chapters, probed and fine-tuned on
 * SpamAssassin e-mails, used for embeddings, and resumed.
 */
class BertWorkflowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VOCAB_SIZE = 1200;

    @TempDir
    static Path dir;
    static Path corpus;
    static Path heldOut;
    static Path vocab;
    static Path run;
    static Path emails;

    @BeforeAll
    static void pretrainOnce() throws Exception {
        corpus = SampleText.copy("moby-dick", 0, 12, dir.resolve("chapters"));
        Files.write(corpus.resolve("scan.txt"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 1, 2, 3});
        Files.write(corpus.resolve("blank.txt"), new byte[0]);
        heldOut = SampleText.copy("moby-dick", 130, 5, dir.resolve("held-out"));
        emails = SampleText.spamHam(70, dir.resolve("emails"));
        vocab = dir.resolve("vocab.txt");
        assertEquals(0, Pretext.run("vocab", "--data", corpus.toString(), "--size", String.valueOf(VOCAB_SIZE),
                "--out", vocab.toString(), "--master", "local[2]"));
        run = dir.resolve("run");
        assertEquals(0, Pretext.run(pretrain(run)));
    }

    static String[] pretrain(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("pretrain", "bert", "--data", corpus.toString(),
                "--vocab", vocab.toString(), "--out", out.toString(), "--master", "local[2]",
                "--set", "model.preset=", "--set", "model.layers=2", "--set", "model.hiddenSize=64",
                "--set", "model.heads=2", "--set", "text.maxSeqLength=64",
                "--set", "train.workers=2", "--set", "train.batchSize=16", "--set", "train.averagingFrequency=5",
                "--set", "train.epochs=4", "--set", "train.logEverySteps=1", "--set", "train.checkpointEverySteps=10",
                "--set", "optimizer.learningRate=0.003", "--set", "optimizer.warmupSteps=5",
                "--set", "eval.reportSequences=2", "--set", "eval.probeMaxIter=40"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    static List<JsonNode> metrics(Path out) throws Exception {
        List<JsonNode> metrics = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(RunDirectory.METRICS))) {
            metrics.add(JSON.readTree(line));
        }
        return metrics;
    }

    @Test
    void vocabCommandBuildsAVocabularyOfTheRequestedSize() throws Exception {
        List<String> tokens = Files.readAllLines(vocab);
        assertEquals(VOCAB_SIZE, tokens.size());
        assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), tokens.subList(0, 5));
        assertTrue(tokens.contains("whale"), "a word of the corpus");
        assertTrue(tokens.stream().anyMatch(t -> t.startsWith("##")), "continuation pieces");
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), "vocab", "--data", corpus.toString(), "--size", "500",
                "--out", vocab.toString(), "--master", "local[2]"));
        assertTrue(err.toString().contains("already exists"), err.toString());
    }

    @Test
    void pretrainingWritesTheRunDirectoryCountsBadInputAndLearns() throws Exception {
        for (String file : List.of("config.yaml", "manifest.json", "metrics.jsonl", "rejected.jsonl", "summary.json",
                "model.zip", "encoder.zip", "vocab.txt", "report.html")) {
            assertTrue(Files.isRegularFile(run.resolve(file)), file);
        }
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals(14, summary.get("recordsRead").asLong());
        assertEquals(1, summary.get("rejected").get("binary").asLong());
        assertEquals(1, summary.get("rejected").get("empty").asLong());
        assertEquals(2, Files.readAllLines(run.resolve("rejected.jsonl")).size());
        assertEquals(Files.readString(vocab), Files.readString(run.resolve("vocab.txt")));
        JsonNode manifest = JSON.readTree(run.resolve("manifest.json").toFile());
        assertEquals("bert", manifest.get("model").asText());
        assertEquals(Vocabulary.load(vocab.toString()).sha256(), manifest.get("details").get("vocabSha256").asText());
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("vocabSize: " + VOCAB_SIZE));

        List<JsonNode> metrics = metrics(run);
        long sequences = summary.get("recordsUsed").asLong();
        assertEquals(4 * (sequences / 32), summary.get("steps").asLong(), "4 epochs of whole batches, 2 workers x 16");
        double first = metrics.get(0).get("loss").asDouble();
        double last = metrics.get(metrics.size() - 1).get("loss").asDouble();
        assertTrue(first > Math.log(VOCAB_SIZE), "starts near chance: " + first);
        assertTrue(last < first - 0.7, "loss " + first + " -> " + last);
    }

    @Test
    void reportShowsTheSequencesAndMaskedPredictionsOfHeldOutSequences() throws Exception {
        JsonNode sections = JSON.readTree(run.resolve("report/sections.json").toFile());
        List<String> ids = new ArrayList<>();
        sections.forEach(s -> ids.add(s.get("id").asText()));
        assertEquals(List.of("sequences", "masked-predictions"), ids);
        JsonNode predictions = sections.get(1);
        assertTrue(predictions.get("text").asText().contains("after training"));
        JsonNode rows = predictions.get("table").get("rows");
        assertTrue(rows.size() >= 2, "a row per masked position shown");
        for (JsonNode row : rows) {
            assertEquals(5, Pattern.compile("\\(\\d\\.\\d\\d\\)").matcher(row.get(4).asText()).results().count(),
                    "top 5 predictions with their probabilities: " + row);
            assertTrue(row.get(1).asText().contains("\u00ab"), "the position is marked: " + row);
        }
        assertTrue(Files.readString(run.resolve("report.html")).contains("Masked-token predictions"));
    }

    @Test
    void evaluateMlmScoresHeldOutTextNextToTheMostFrequentTokenBaseline() throws Exception {
        assertEquals(0, Pretext.run("evaluate", "mlm", "--model", run.toString(), "--data", heldOut.toString(),
                "--master", "local[2]"));
        JsonNode mlm = JSON.readTree(run.resolve("eval/mlm.json").toFile());
        for (String field : List.of("accuracy", "baselineAccuracy", "perplexity", "baselinePerplexity",
                "nspAccuracy", "baselineNspAccuracy")) {
            assertTrue(mlm.get(field).isNumber(), field);
        }
        // the baseline recomputed here from the same packing and masking: the share of masked positions whose
        // original token is the held-out text's most frequent one
        Vocabulary v = Vocabulary.load(vocab.toString());
        List<TextDocument> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(heldOut)) {
            for (Path f : files.sorted().toList()) {
                docs.add(new TextDocument(f.getFileName().toString(), null,
                        SentenceSplitter.split(Files.readString(f, StandardCharsets.UTF_8))));
            }
        }
        List<PackedSequence> packed = new ArrayList<>();
        new SequencePacker(WordPieceTokenizer.shared(v), BertExampleConfig.defaults().withMaxSeqLength(64))
                .packGroup(docs, 1234).forEachRemaining(packed::add);
        int frequent = v.id(mlm.get("mostFrequentToken").asText());
        MlmMasker masker = new MlmMasker(v, MaskingConfig.defaults());
        long masked = 0;
        long isFrequent = 0;
        for (PackedSequence p : packed) {
            for (int label : masker.mask(p, p.length(), 1234, 0).maskedLabels()) {
                masked++;
                isFrequent += label == frequent ? 1 : 0;
            }
        }
        assertEquals(packed.size(), mlm.get("sequences").asLong());
        assertEquals(masked, mlm.get("maskedTokens").asLong());
        assertEquals((double) isFrequent / masked, mlm.get("baselineAccuracy").asDouble(), 1e-12);
        assertTrue(mlm.get("perplexity").asDouble() < VOCAB_SIZE / 2.0, "well below uniform: " + mlm);
        assertTrue(Files.readString(run.resolve("report.html")).contains("data-eval=\"mlm\""));
    }

    @Test
    void textProbeScoresFrozenFeaturesNextToBagOfWords() throws Exception {
        assertEquals(0, Pretext.run("evaluate", "text-probe", "--model", run.toString(), "--train",
                emails.resolve("train").toString(), "--test", emails.resolve("test").toString(),
                "--master", "local[2]"));
        JsonNode probe = JSON.readTree(run.resolve("eval/text-probe.json").toFile());
        assertEquals(SampleText.countFiles(emails.resolve("train")),
                probe.get("trainDocuments").asLong() + probe.get("trainRejected").asLong());
        assertEquals(SampleText.countFiles(emails.resolve("test")),
                probe.get("testDocuments").asLong() + probe.get("testRejected").asLong());
        assertEquals(64, probe.get("featureSize").asInt());
        for (String field : List.of("clsAccuracy", "clsF1", "meanAccuracy", "meanF1", "baselineClsAccuracy",
                "baselineClsF1")) {
            double value = probe.get(field).asDouble();
            assertTrue(value >= 0 && value <= 1, field + " " + value);
        }
        assertTrue(probe.get("baselineClsAccuracy").asDouble() > 0.8, "bag of words separates spam: " + probe);
        assertTrue(probe.get("clsAccuracy").asDouble() > 0.6, "frozen features carry signal: " + probe);
        assertTrue(probe.get("f1Of").asText().contains("spam"));
    }

    @Test
    void finetuningTrainsAClassifierRunAndScoresItNextToBagOfWords() throws Exception {
        Path out = dir.resolve("finetuned");
        assertEquals(0, Pretext.run("finetune", "--model", run.toString(), "--train",
                emails.resolve("train").toString(), "--test", emails.resolve("test").toString(),
                "--out", out.toString(), "--master", "local[2]", "--set", "train.workers=2",
                "--set", "train.batchSize=8", "--set", "train.epochs=10", "--set", "train.averagingFrequency=5",
                "--set", "train.logEverySteps=1", "--set", "optimizer.learningRate=0.005",
                "--set", "optimizer.warmupSteps=2"));
        for (String file : List.of("config.yaml", "manifest.json", "metrics.jsonl", "summary.json", "model.zip",
                "encoder.zip", "vocab.txt", "report.html", "eval/finetune.json")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        assertEquals("bert-classifier", JSON.readTree(out.resolve("manifest.json").toFile()).get("model").asText());
        JsonNode eval = JSON.readTree(out.resolve("eval/finetune.json").toFile());
        for (String field : List.of("accuracy", "f1", "baselineAccuracy", "baselineF1")) {
            double value = eval.get(field).asDouble();
            assertTrue(value >= 0 && value <= 1, field + " " + value);
        }
        assertEquals(SampleText.countFiles(emails.resolve("test")),
                eval.get("testDocuments").asLong() + eval.get("testRejected").asLong());
        assertTrue(eval.get("accuracy").asDouble() > 0.7, "fine-tuned: " + eval);
        List<JsonNode> metrics = metrics(out);
        int n = metrics.size();
        double first = metrics.get(0).get("loss").asDouble() + metrics.get(1).get("loss").asDouble();
        double last = metrics.get(n - 2).get("loss").asDouble() + metrics.get(n - 1).get("loss").asDouble();
        assertTrue(last < first, "fine-tuning loss falls: first two rounds " + first / 2 + ", last two " + last / 2);
    }

    @Test
    void finetuningRefusesToChangeThePretrainedArchitecture() {
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), "finetune", "--model", run.toString(), "--train",
                emails.resolve("train").toString(), "--test", emails.resolve("test").toString(), "--out",
                dir.resolve("wider").toString(), "--set", "model.hiddenSize=128", "--master", "local[2]"));
        assertTrue(err.toString().contains("changes the architecture"), err.toString());
    }

    @Test
    void embedWritesPooledDocumentVectorsAsParquet() {
        Path out = dir.resolve("embeddings");
        Path test = emails.resolve("test");
        assertEquals(0, Pretext.run("embed", "--model", run.toString(), "--input", test.toString(),
                "--output", out.toString(), "--set", "eval.pooling=mean", "--master", "local[2]"));
        SparkSession spark = SparkSession.builder().master("local[2]").getOrCreate();
        try {
            List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
            assertTrue(rows.size() >= SampleText.countFiles(test) - 2 && rows.size() <= SampleText.countFiles(test));
            for (Row r : rows) {
                assertEquals(64, r.getList(r.fieldIndex("vector")).size());
                assertTrue(List.of("ham", "spam").contains(r.getString(r.fieldIndex("label"))));
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void resumeContinuesAnInterruptedRunToTheSameStep() throws Exception {
        Path resumed = dir.resolve("resumed");
        copyTree(run, resumed);
        JsonNode original = JSON.readTree(run.resolve("summary.json").toFile());
        long steps = original.get("steps").asLong();
        // the run as a crash would leave it: no model, no summary, the newest checkpoints lost
        Files.delete(resumed.resolve("model.zip"));
        Files.delete(resumed.resolve("summary.json"));
        List<Path> checkpoints;
        try (Stream<Path> s = Files.list(resumed.resolve("checkpoints"))) {
            checkpoints = s.sorted().toList();
        }
        for (Path c : checkpoints.subList(1, checkpoints.size())) {
            deleteTree(c);
        }
        assertEquals(0, Pretext.run(pretrain(resumed, "--resume")));
        JsonNode summary = JSON.readTree(resumed.resolve("summary.json").toFile());
        assertNotNull(summary.get("resumedFrom").textValue());
        assertEquals(checkpoints.get(0).getFileName().toString(), summary.get("resumedFrom").asText());
        assertEquals(steps, summary.get("steps").asLong());
        long previous = 0;
        for (JsonNode m : metrics(resumed)) {
            assertTrue(m.get("step").asLong() > previous, "metrics steps strictly increase across the resume");
            previous = m.get("step").asLong();
        }
        assertEquals(steps, previous);
    }

    @Test
    void resumeRefusesAnotherVocabularyOfTheSameSize() throws Exception {
        Path other = dir.resolve("other-vocab.txt");
        List<String> tokens = new ArrayList<>(Files.readAllLines(vocab));
        Collections.swap(tokens, 10, 11);
        Files.write(other, tokens);
        Path copy = dir.resolve("resume-other-vocab");
        copyTree(run, copy);
        List<String> args = new ArrayList<>(List.of(pretrain(copy, "--resume")));
        args.set(args.indexOf("--vocab") + 1, other.toString());
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), args.toArray(String[]::new)));
        assertTrue(err.toString().contains("the vocabulary differs"), err.toString());
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
