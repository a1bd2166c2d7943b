package io.pretext.jobs.bert;

import io.pretext.data.text.BertExampleConfig;
import io.pretext.data.text.MaskingConfig;
import io.pretext.data.text.PackedSequence;
import io.pretext.data.text.SentenceSplitter;
import io.pretext.data.text.SequencePacker;
import io.pretext.data.text.TextDocument;
import io.pretext.data.text.Vocabulary;
import io.pretext.data.text.WordPieceTokenizer;
import io.pretext.jobs.LocalSpark;
import io.pretext.jobs.SampleText;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The BERT training task's minibatches from real packed State of the Union sentence pairs. */
class BertTaskTest {

    private static final long SEED = 42;
    private static Vocabulary vocab;
    private static List<TextDocument> documents;
    private static List<PackedSequence> packed;
    private static BertTask task;

    @BeforeAll
    static void pack() throws Exception {
        vocab = Vocabulary.load(SampleText.dataDir().resolve("vocab/bert-base-uncased-vocab.txt").toString());
        documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(SampleText.corpus("sotu"))) {
            for (Path f : files.sorted().limit(3).toList()) {
                documents.add(new TextDocument(f.getFileName().toString(), null,
                        SentenceSplitter.split(Files.readString(f, StandardCharsets.UTF_8))));
            }
        }
        packed = new ArrayList<>();
        new SequencePacker(WordPieceTokenizer.shared(vocab), BertExampleConfig.defaults())
                .packGroup(documents, SEED).forEachRemaining(packed::add);
        Broadcast<Vocabulary> shared = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext())
                .broadcast(vocab);
        task = new BertTask("{}", shared, MaskingConfig.defaults(), 128);
    }

    private static INDArray positions(MultiDataSet batch) {
        return batch.getFeatures(2);
    }

    @Test
    void everyEpochTrainsOnFreshMasksOfTheSamePairs() {
        List<PackedSequence> records = packed.subList(0, 16);
        MultiDataSet epoch0 = task.batch(records, SEED, 0);
        MultiDataSet epoch1 = task.batch(records, SEED, 1);
        assertEquals(positions(epoch0), positions(task.batch(records, SEED, 0)), "one epoch, one mask");
        assertEquals(epoch0.getFeatures(1), epoch1.getFeatures(1), "the same pairs: same segments");
        assertEquals(epoch0.getLabels(1), epoch1.getLabels(1), "the same pairs: same NSP labels");
        for (int i = 0; i < records.size(); i++) {
            assertNotEquals(positions(epoch0).getRow(i), positions(epoch1).getRow(i), "sequence " + i);
        }
    }

    @Test
    void maskedPositionsHoldTheOriginalTokensAsLabels() {
        List<PackedSequence> records = packed.subList(3, 11);
        MultiDataSet batch = task.batch(records, SEED, 5);
        for (int i = 0; i < records.size(); i++) {
            int[] original = records.get(i).tokenIds();
            long[] p = positions(batch).getRow(i).toLongVector();
            long[] labels = batch.getLabels(0).getRow(i).toLongVector();
            long[] weights = batch.getLabelsMaskArray(0).getRow(i).toLongVector();
            for (int k = 0; k < p.length; k++) {
                if (weights[k] == 1) {
                    assertEquals(original[(int) p[k]], labels[k]);
                }
            }
        }
    }

    @Test
    void aBatchIsPaddedToItsLongestSequenceRoundedUpToEight() {
        List<PackedSequence> shortOnes = new ArrayList<>(); // every document aims at a random shorter length
        new SequencePacker(WordPieceTokenizer.shared(vocab), new BertExampleConfig(128, 1.0, 0.5))
                .packGroup(documents, SEED).forEachRemaining(shortOnes::add);
        List<PackedSequence> records = shortOnes.stream().sorted(java.util.Comparator.comparingInt(
                PackedSequence::length).thenComparing(p -> p.id())).limit(4).toList();
        assertEquals(4, records.size());
        int longest = records.stream().mapToInt(PackedSequence::length).max().orElseThrow();
        assertTrue(longest <= 120, "the four shortest sequences leave room for padding: " + longest);
        MultiDataSet batch = task.batch(records, SEED, 0);
        assertEquals((longest + 7) / 8 * 8, batch.getFeatures(0).size(1));
        assertArrayEquals(new long[] {4, 2}, batch.getLabels(1).shape());
        assertNull(batch.getLabelsMaskArray(1));
        long realTokens = records.stream().mapToInt(PackedSequence::length).sum();
        assertEquals(realTokens, batch.getFeaturesMaskArray(0).sumNumber().longValue());
        assertTrue(BertTask.paddedLength(packed.subList(0, 32), 128) <= 128);
    }
}
