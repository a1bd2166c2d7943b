package io.pretext.jobs.bench;

import io.pretext.data.text.BertBatch;
import io.pretext.data.text.BertExample;
import io.pretext.data.text.BertExampleConfig;
import io.pretext.data.text.MaskingConfig;
import io.pretext.data.text.MlmMasker;
import io.pretext.data.text.PackedSequence;
import io.pretext.data.text.SentenceSplitter;
import io.pretext.data.text.SequencePacker;
import io.pretext.data.text.TextDocument;
import io.pretext.data.text.Vocabulary;
import io.pretext.data.text.WordPieceTokenizer;
import io.pretext.zoo.bert.Bert;
import io.pretext.zoo.bert.BertConfig;
import io.pretext.zoo.optim.OptimizerConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Padding a BERT training batch to its longest sequence (rounded up to a multiple of 8) against padding every
 * batch to {@code text.maxSeqLength}, on real text: training throughput in real (non-padding) tokens per second.
 * Not a test; from the project root, after {@code mvn -o -q -pl spark-jobs -am test-compile} and building the test
 * classpath:
 * <pre>
 * java -Xmx8g -Dorg.eclipse.deeplearning4j.helpers.disable=false -cp CLASSPATH \
 *     io.pretext.jobs.bench.BertPaddingBenchmark CORPUS_DIR VOCAB [preset] [--seq 128] [--batch 32] [--steps 20]
 * </pre>
 * CORPUS_DIR is a folder tree of text files (e.g. the SOTU addresses, whose pairs fill the length, or the
 * SpamAssassin e-mails, many of which are shorter). The same batches, in the same order, are timed both ways.
 */
public final class BertPaddingBenchmark {

    private BertPaddingBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path corpus = Path.of(args[0]);
        Vocabulary vocab = Vocabulary.load(args[1]);
        String preset = "bert-mini";
        int seq = 128;
        int batch = 32;
        int steps = 20;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--seq" -> seq = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                default -> preset = args[i];
            }
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        List<TextDocument> docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(corpus)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
                List<String> sentences = SentenceSplitter.split(text);
                if (!sentences.isEmpty()) {
                    docs.add(new TextDocument(corpus.relativize(f).toString(), null, sentences));
                }
            }
        }
        List<PackedSequence> packed = new ArrayList<>();
        new SequencePacker(WordPieceTokenizer.shared(vocab), BertExampleConfig.defaults().withMaxSeqLength(seq))
                .packGroup(docs, 1).forEachRemaining(packed::add);
        Collections.shuffle(packed, new Random(1));
        MlmMasker masker = new MlmMasker(vocab, MaskingConfig.defaults());
        BertConfig model = BertConfig.defaults().withPreset(preset).withVocabSize(vocab.size());
        OptimizerConfig adam = new OptimizerConfig("adamw", 1e-4, 0.9, true, 0.01, 0, 0, 0.0, "constant");
        for (boolean toBatch : new boolean[] {false, true, false, true}) {
            ComputationGraph graph = Bert.init(model, adam);
            long tokens = 0;
            long nanos = 0;
            for (int s = 0; s < steps + 3; s++) {
                List<PackedSequence> records = packed.subList((s * batch) % (packed.size() - batch),
                        (s * batch) % (packed.size() - batch) + batch);
                int length = toBatch ? padded(records, seq) : seq;
                List<BertExample> examples = records.stream().map(p -> masker.mask(p, length, 7, 0)).toList();
                MultiDataSet data = BertBatch.of(examples).toMultiDataSet();
                long t0 = System.nanoTime();
                graph.fit(data);
                if (s >= 3) {
                    nanos += System.nanoTime() - t0;
                    tokens += records.stream().mapToInt(PackedSequence::length).sum();
                }
            }
            System.out.printf("%s %s, pad to %s: %.0f real tokens/s (%d steps of %d, mean sequence %.1f tokens)%n",
                    preset, corpus.getFileName(), toBatch ? "the batch" : "max " + seq, tokens / (nanos / 1e9),
                    steps, batch, packed.stream().mapToInt(PackedSequence::length).average().orElse(0));
        }
    }

    private static int padded(List<PackedSequence> records, int max) {
        int longest = records.stream().mapToInt(PackedSequence::length).max().orElse(0);
        return Math.min(max, (longest + 7) / 8 * 8);
    }
}
