package io.pretext.jobs.bert;

import io.pretext.jobs.spark.BroadcastGraph;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.data.text.BertBatch;
import io.pretext.data.text.BertExample;
import io.pretext.data.text.MaskingConfig;
import io.pretext.data.text.MlmMasker;
import io.pretext.data.text.PackedSequence;
import io.pretext.data.text.SequencePacker;
import io.pretext.data.text.TextCorpus;
import io.pretext.data.text.TextReport;
import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * {@code pretext evaluate mlm}: a BERT run's pretraining tasks on held-out text. The documents are packed into
 * sentence pairs and masked exactly as training does (seeded by {@code eval.seed}, so every evaluation sees the
 * same task), and the model scores: masked-token accuracy (top-1 over every selected position: masked, replaced
 * and kept ones), perplexity (exp of the mean cross-entropy of the original tokens at those positions) and
 * next-sentence accuracy. The baselines, measured on the same data in the same run: always predicting the data's
 * most frequent token (accuracy), the data's unigram token distribution (perplexity) and always predicting the
 * majority next-sentence class. Written to {@code RUN_DIR/eval/mlm.json}.
 */
public final class MlmEvaluation {

    public static final String NAME = "mlm";

    private static final Logger log = LoggerFactory.getLogger(MlmEvaluation.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MlmEvaluation() {
    }

    /** Sums over evaluated sequences. */
    record Sums(long sequences, long masked, long correct, double crossEntropy, long baselineCorrect,
                double baselineCrossEntropy, long nspCorrect) implements Serializable {

        static final Sums NONE = new Sums(0, 0, 0, 0, 0, 0, 0);

        Sums plus(Sums o) {
            return new Sums(sequences + o.sequences, masked + o.masked, correct + o.correct,
                    crossEntropy + o.crossEntropy, baselineCorrect + o.baselineCorrect,
                    baselineCrossEntropy + o.baselineCrossEntropy, nspCorrect + o.nspCorrect);
        }
    }

    /**
     * @param model the run's pretraining graph ({@code model.zip})
     */
    public static ObjectNode run(SparkSession spark, RunDirectory run, BertRunConfig config, Vocabulary vocab,
                                 ComputationGraph model, String dataPath) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        BertEvalConfig eval = config.eval();
        TextCorpus corpus = TextCorpus.open(spark, dataPath, config.data().withFormat("auto")).requireUsable();
        TextReport report = corpus.rejects();
        sc.setJobDescription("evaluate mlm: pack " + report.usable() + " documents into sentence pairs (eval.seed "
                + eval.seed() + ")");
        JavaRDD<PackedSequence> sequences = SequencePacker.pack(corpus.documents(), report.usable(), vocab,
                config.text(), eval.seed()).persist(StorageLevel.MEMORY_AND_DISK());
        BroadcastGraph graph = new BroadcastGraph(sc, model);
        try {
            sc.setJobDescription("evaluate mlm: token frequencies of the held-out data (the baseline)");
            int size = vocab.size();
            // [vocab] counts of the tokens masking may select, then [sequences, random-next sequences]
            long[] counts = sequences.mapPartitions((Iterator<PackedSequence> it) -> {
                long[] c = new long[size + 2];
                while (it.hasNext()) {
                    PackedSequence p = it.next();
                    int[] t = p.tokenIds();
                    for (int i = 1; i < t.length - 1; i++) {
                        if (i != p.firstSegmentLength() - 1) {
                            c[t[i]]++;
                        }
                    }
                    c[size]++;
                    c[size + 1] += p.randomNext() ? 1 : 0;
                }
                return List.of(c).iterator();
            }).reduce(MlmEvaluation::add);
            long sequenceCount = counts[size];
            if (sequenceCount == 0) {
                throw new IllegalArgumentException("--data " + dataPath + " gives no sentence pairs (its documents "
                        + "hold no sentence with a token of the vocabulary)");
            }
            int mostFrequent = 0;
            long tokens = 0;
            for (int id = 0; id < size; id++) {
                tokens += counts[id];
                if (counts[id] > counts[mostFrequent]) {
                    mostFrequent = id;
                }
            }
            float[] unigramLog = new float[size];
            for (int id = 0; id < size; id++) {
                unigramLog[id] = (float) Math.log((double) counts[id] / tokens);
            }
            Broadcast<Vocabulary> sharedVocab = sc.broadcast(vocab);
            Broadcast<float[]> sharedUnigram = sc.broadcast(unigramLog);
            int frequent = mostFrequent;
            long seed = eval.seed();
            int batchSize = eval.batchSize();
            MaskingConfig masking = config.masking();
            sc.setJobDescription("evaluate mlm: the model on " + sequenceCount + " masked sequences");
            Sums sums = sequences.mapPartitions((Iterator<PackedSequence> it) -> {
                MlmMasker masker = new MlmMasker(sharedVocab.value(), masking);
                Sums s = Sums.NONE;
                List<PackedSequence> batch = new ArrayList<>(batchSize);
                while (it.hasNext()) {
                    batch.add(it.next());
                    if (batch.size() == batchSize || !it.hasNext()) {
                        List<BertExample> examples = mask(masker, batch, seed);
                        Sums b = graph.with(g -> score(g, examples, sharedUnigram.value(), frequent));
                        s = s.plus(b);
                        batch.clear();
                    }
                }
                return List.of(s).iterator();
            }).reduce(Sums::plus);
            sharedVocab.destroy(false);
            sharedUnigram.destroy(false);

            double majority = Math.max(counts[size + 1], sequenceCount - counts[size + 1]) / (double) sequenceCount;
            ObjectNode result = JSON.createObjectNode();
            result.put("probe", NAME);
            result.put("model", run.root().toString());
            result.put("data", dataPath);
            result.put("documents", report.usable());
            result.put("rejectedDocuments", report.rejected());
            result.put("sequences", sums.sequences());
            result.put("maskedTokens", sums.masked());
            result.put("accuracy", (double) sums.correct() / sums.masked());
            result.put("baselineAccuracy", (double) sums.baselineCorrect() / sums.masked());
            result.put("perplexity", Math.exp(sums.crossEntropy() / sums.masked()));
            result.put("baselinePerplexity", Math.exp(sums.baselineCrossEntropy() / sums.masked()));
            result.put("nspAccuracy", (double) sums.nspCorrect() / sums.sequences());
            result.put("baselineNspAccuracy", majority);
            result.put("baseline", "the held-out data's own statistics: its most frequent token (accuracy), its "
                    + "unigram token distribution (perplexity), its majority next-sentence class");
            result.put("mostFrequentToken", vocab.token(mostFrequent));
            result.put("maxSeqLength", config.text().maxSeqLength());
            result.put("seed", seed);
            result.put("evaluatedAt", Instant.now().toString());
            log.info(String.format(Locale.ROOT, "mlm on %d held-out sequences (%d masked tokens): accuracy %.4f "
                            + "(most frequent token '%s' %.4f), perplexity %.1f (unigram %.1f), NSP accuracy %.4f "
                            + "(majority %.4f)", sums.sequences(), sums.masked(), result.get("accuracy").asDouble(),
                    vocab.token(mostFrequent), result.get("baselineAccuracy").asDouble(),
                    result.get("perplexity").asDouble(), result.get("baselinePerplexity").asDouble(),
                    result.get("nspAccuracy").asDouble(), majority));
            TextProbe.write(run, NAME, result);
            return result;
        } finally {
            graph.destroy();
            sequences.unpersist(false);
            corpus.unpersist();
        }
    }

    private static List<BertExample> mask(MlmMasker masker, List<PackedSequence> batch, long seed) {
        int length = batch.stream().mapToInt(PackedSequence::length).max().orElseThrow();
        List<BertExample> out = new ArrayList<>(batch.size());
        for (PackedSequence p : batch) {
            out.add(masker.mask(p, length, seed, 0));
        }
        return out;
    }

    /** The model's and the baselines' sums on one batch. */
    static Sums score(ComputationGraph graph, List<BertExample> examples, float[] unigramLog, int mostFrequent) {
        BertBatch batch = BertBatch.of(examples);
        MultiDataSet data = batch.toMultiDataSet();
        INDArray[] out = graph.output(false, data.getFeatures(), data.getFeaturesMaskArrays());
        INDArray mlm = out[0]; // [B*P, V]
        INDArray nsp = out[1]; // [B, 2]
        int slots = (int) batch.maskedPositions().size(1);
        long[] predicted = Nd4j.argMax(mlm, 1).toLongVector(); // [B*P]
        long[] nspPredicted = Nd4j.argMax(nsp, 1).toLongVector(); // [B]
        long masked = 0;
        long correct = 0;
        double crossEntropy = 0;
        long baselineCorrect = 0;
        double baselineCrossEntropy = 0;
        long nspCorrect = 0;
        for (int i = 0; i < examples.size(); i++) {
            BertExample e = examples.get(i);
            int[] labels = e.maskedLabels();
            for (int k = 0; k < labels.length; k++) {
                long row = (long) i * slots + k;
                masked++;
                correct += predicted[(int) row] == labels[k] ? 1 : 0;
                crossEntropy -= Math.log(Math.max(mlm.getDouble(row, labels[k]), Double.MIN_NORMAL));
                baselineCorrect += labels[k] == mostFrequent ? 1 : 0;
                baselineCrossEntropy -= unigramLog[labels[k]];
            }
            nspCorrect += nspPredicted[i] == e.nspLabel() ? 1 : 0;
        }
        return new Sums(examples.size(), masked, correct, crossEntropy, baselineCorrect, baselineCrossEntropy,
                nspCorrect);
    }

    private static long[] add(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }
}
