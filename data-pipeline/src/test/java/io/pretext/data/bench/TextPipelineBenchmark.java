package io.pretext.data.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.pretext.data.text.TestText;
import io.pretext.data.text.TokenizerCandidates;
import io.pretext.data.text.Vocabulary;
import io.pretext.data.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.deeplearning4j.text.tokenization.tokenizerfactory.BertWordPieceTokenizerFactory;

/**
 * Single-thread throughput of the WordPiece tokenizer candidates on the State of the Union corpus
 * (every non-blank line of every address; an address is mostly one long line), printed as tokens/s
 * per core, median of rounds. Not a test; from the project root:
 * <pre>
 * mvn -o -q -pl data-pipeline test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -Dai.djl.offline=true -cp data-pipeline/target/test-classes:data-pipeline/target/classes:$(cat \
 *     data-pipeline/target/test.classpath) io.pretext.data.bench.TextPipelineBenchmark
 * </pre>
 */
public final class TextPipelineBenchmark {

    private static final int ROUNDS = 5;

    private TextPipelineBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Vocabulary vocab = TestText.bertVocab();
        List<String> lines = sotuLines();
        WordPieceTokenizer own = new WordPieceTokenizer(vocab);
        BertWordPieceTokenizerFactory dl4j = TokenizerCandidates.dl4j(vocab);
        try (HuggingFaceTokenizer hf = TokenizerCandidates.huggingFace(vocab)) {
            System.out.printf("SOTU: %d lines, %d chars%n", lines.size(), lines.stream().mapToLong(String::length).sum());
            report("own WordPieceTokenizer", lines, line -> own.encode(line).length);
            report("Hugging Face tokenizers (DJL 0.38.0)", lines, line -> TokenizerCandidates.huggingFaceIds(hf, line).length);
            report("DL4J BertWordPieceTokenizerFactory", lines, line -> dl4j.create(line).countTokens());
            agreement(own, hf, dl4j, vocab);
        }
    }

    /** Lines of all corpora (raw e-mails read as windows-1252 where not UTF-8) where the ids differ. */
    private static void agreement(WordPieceTokenizer own, HuggingFaceTokenizer hf, BertWordPieceTokenizerFactory dl4j,
            Vocabulary vocab) throws IOException {
        long total = 0;
        long ownDiffers = 0;
        long dl4jDiffers = 0;
        for (String corpus : List.of("sotu", "moby-dick", "spam-assassin/ham", "spam-assassin/spam")) {
            try (Stream<Path> files = Files.list(TestText.corpus(corpus))) {
                for (Path f : files.sorted().toList()) {
                    for (String line : decode(Files.readAllBytes(f)).split("\n")) {
                        int[] reference = TokenizerCandidates.huggingFaceIds(hf, line);
                        total++;
                        if (!Arrays.equals(reference, own.encode(line))) {
                            ownDiffers++;
                            System.out.println("  own differs: " + f.getFileName() + ": " + line);
                        }
                        if (!Arrays.equals(reference, TokenizerCandidates.dl4jIds(dl4j, vocab, line))) {
                            dl4jDiffers++;
                        }
                    }
                }
            }
        }
        System.out.printf("agreement with Hugging Face over %,d lines of all corpora: own differs on %d, DL4J on %d%n",
                total, ownDiffers, dl4jDiffers);
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, Charset.forName("windows-1252"));
        }
    }

    private static List<String> sotuLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(TestText.corpus("sotu"))) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readString(f, StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        lines.add(line);
                    }
                }
            }
        }
        return lines;
    }

    private static void report(String name, List<String> lines, ToLongFunction<String> tokenize) {
        long tokens = 0;
        for (String line : lines) { // warm-up round
            tokens += tokenize.applyAsLong(line);
        }
        double[] rates = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            long n = 0;
            for (String line : lines) {
                n += tokenize.applyAsLong(line);
            }
            rates[r] = n / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf("%-40s %,d tokens; median %,.0f tokens/s (best %,.0f)%n", name, tokens, rates[ROUNDS / 2],
                rates[ROUNDS - 1]);
    }
}
