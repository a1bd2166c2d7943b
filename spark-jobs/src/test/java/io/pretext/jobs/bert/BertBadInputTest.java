package io.pretext.jobs.bert;

import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleText;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad BERT configurations, vocabularies and corpora are refused with the key or path, the value, the rule and the
 * fix.
 */
class BertBadInputTest {

    /** The bundled vocabulary, relative to the spark-jobs module. */
    static final Path BUNDLED = Path.of("..").resolve(BertVocab.BUNDLED).toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    static Path text;

    @BeforeAll
    static void corpus() {
        text = SampleText.copy("sotu", 0, 2, dir.resolve("text"));
    }

    record Case(String name, List<String> args, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() throws Exception {
        Path noSpecials = Files.writeString(dir.resolve("words.txt"), "the\nof\nand\n");
        return Stream.of(
                new Case("unknown key", List.of("--set", "text.maxSeqLen=64"),
                        "unknown key text.maxSeqLen; did you mean maxSeqLength?"),
                new Case("mask probability 0", List.of("--set", "masking.maskProbability=0"),
                        "masking.maskProbability must be in (0, 1], got 0.0 (set it in the masking: section)"),
                new Case("vocab size other than the vocabulary's", List.of("--set", "model.vocabSize=1000"),
                        "model.vocabSize is 1000 but the vocabulary has 30522 tokens"),
                new Case("sequences longer than the position table", List.of("--set", "text.maxSeqLength=1024"),
                        "text.maxSeqLength 1024 must be <= model.maxPositions 512"),
                new Case("size against the preset", List.of("--preset", "bert-mini", "--set", "model.hiddenSize=300"),
                        "model.hiddenSize is 300 but preset bert-mini has 256"),
                new Case("adam with weight decay", List.of("--set", "optimizer.type=adam"),
                        "optimizer.weightDecay must be 0 when optimizer.type is adam, got 0.01"),
                new Case("unknown pooling", List.of("--set", "eval.pooling=max"),
                        "eval.pooling must be one of [cls, mean], got max"),
                new Case("unknown preset", List.of("--preset", "bert-huge"), "unknown preset bert-huge for bert"),
                new Case("missing vocabulary", List.of("--vocab", dir.resolve("none.txt").toString()),
                        "--vocab " + dir.resolve("none.txt") + " does not exist"),
                new Case("vocabulary without special tokens", List.of("--vocab", noSpecials.toString()),
                        "has no [PAD] token"),
                new Case("missing data", List.of("--data", dir.resolve("nothing").toString()), "does not exist"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void refusedBeforeSparkStarts(Case c) {
        Path out = dir.resolve(c.name().replace(' ', '-'));
        List<String> args = new ArrayList<>(List.of("pretrain", "bert", "--out", out.toString(), "--master",
                "local[2]"));
        if (!c.args().contains("--data")) {
            args.addAll(List.of("--data", text.toString()));
        }
        if (!c.args().contains("--vocab")) {
            args.addAll(List.of("--vocab", BUNDLED.toString()));
        }
        args.addAll(c.args());
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), args.toArray(String[]::new)), err.toString());
        assertTrue(err.toString().contains(c.message()), err.toString());
        assertTrue(Files.notExists(out.resolve("config.yaml")), "nothing written");
    }

    @Test
    void aCorpusOfOnlyBinaryAndEmptyFilesIsRefusedWithTheCountsByReason() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.write(bad.resolve("a.txt"), new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 1});
        Files.write(bad.resolve("b.txt"), new byte[0]);
        Files.writeString(bad.resolve("c.txt"), "   \n\n  ");
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), "pretrain", "bert", "--data", bad.toString(),
                "--vocab", BUNDLED.toString(), "--out", dir.resolve("bad-run").toString(), "--master", "local[2]"),
                err.toString());
        assertTrue(err.toString().contains("no usable documents in " + bad), err.toString());
        assertTrue(err.toString().contains("read 3, all rejected (binary=1, empty=2)"), err.toString());
        assertEquals(3, Files.readAllLines(dir.resolve("bad-run").resolve("rejected.jsonl")).size());
    }

    @Test
    void evaluationRefusesARunThatIsNotBert() throws Exception {
        Path notBert = Files.createDirectories(dir.resolve("simclr-run"));
        Files.writeString(notBert.resolve("manifest.json"), "{\"model\":\"simclr\",\"data\":\"/x\"}");
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), "evaluate", "mlm", "--model", notBert.toString(),
                "--data", text.toString(), "--master", "local[2]"));
        assertTrue(err.toString().contains("is a simclr run; this command takes a BERT pretraining run"),
                err.toString());
    }

    @Test
    void theBundledVocabularyIsBertBaseUncased() {
        String home = System.getProperty("pretext.home");
        System.setProperty("pretext.home", Path.of("..").toAbsolutePath().normalize().toString());
        try {
            BertVocab.Source bundled = BertVocab.load(null);
            assertEquals(30522, bundled.vocabulary().size());
            assertEquals("07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
                    bundled.vocabulary().sha256());
            assertTrue(bundled.location().endsWith(BertVocab.BUNDLED), bundled.location());
        } finally {
            if (home == null) {
                System.clearProperty("pretext.home");
            } else {
                System.setProperty("pretext.home", home);
            }
        }
    }
}
