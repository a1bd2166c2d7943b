package io.pretext.data.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.pretext.data.text.BertBatch;
import io.pretext.data.text.BertExample;
import io.pretext.data.text.BertExampleConfig;
import io.pretext.data.text.BertExamples;
import io.pretext.data.text.MaskingConfig;
import io.pretext.data.text.TestText;
import io.pretext.data.text.TextDocument;
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
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.deeplearning4j.text.tokenization.tokenizerfactory.BertWordPieceTokenizerFactory;

/**
 * Single-thread throughput of the WordPiece tokenizer candidates on the State of the Union corpus
 * (every non-blank line of every address; an address is mostly one long line), printed as tokens/s
 * per core, median of rounds; then BERT example generation and batch assembly (examples/s per core),
 * and the agreement of the candidates with the Hugging Face tokenizer over every line of every corpus.
 * Not a test; from the project root:
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
            examples(vocab);
            agreement(own, hf, dl4j, vocab);
        }
    }

    /**
     * BERT examples (128 tokens, default masking) from all SOTU addresses as one partition, single thread:
     * tokenizing the sentences, pairing, masking; then assembling float batches of 32.
     */
    private static void examples(Vocabulary vocab) {
        List<TextDocument> docs = TestText.documents("sotu", 1000);
        BertExamples gen = new BertExamples(WordPieceTokenizer.shared(vocab), BertExampleConfig.defaults(),
                MaskingConfig.defaults());
        List<BertExample> all = new ArrayList<>();
        report("BERT examples (tokenize + pair + mask)", "examples", () -> {
            all.clear();
            gen.generate(docs, 1, 0).forEachRemaining(all::add);
            return all.size();
        });
        report("BERT batches of 32 -> ND4J float arrays", "examples", () -> {
            for (int i = 0; i + 32 <= all.size(); i += 32) {
                BertBatch.of(all.subList(i, i + 32));
            }
            return all.size() / 32 * 32;
        });
    }

    private static void report(String name, String unit, LongSupplier round) {
        round.getAsLong(); // warm-up
        double[] rates = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            long n = round.getAsLong();
            rates[r] = n / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf("%-40s median %,.0f %s/s (best %,.0f)%n", name, rates[ROUNDS / 2], unit, rates[ROUNDS - 1]);
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
