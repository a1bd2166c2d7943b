package io.pretext.jobs.bert;

import io.pretext.jobs.spark.BroadcastGraph;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.data.text.DocumentBatch;
import io.pretext.data.text.EncodedDocument;
import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A fine-tuned classifier on the labelled test documents, next to the bag-of-words logistic regression trained on
 * the same training documents in the same run: accuracy and F1 ({@code accuracy}, {@code f1} and their
 * {@code baseline...} siblings), written to {@code RUN_DIR/eval/finetune.json}.
 */
public final class FinetuneEvaluation {

    public static final String NAME = "finetune";

    private static final Logger log = LoggerFactory.getLogger(FinetuneEvaluation.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FinetuneEvaluation() {
    }

    public static ObjectNode run(SparkSession spark, RunDirectory run, FinetuneSpec spec, FinetuneRunConfig config,
                                 Vocabulary vocab, ComputationGraph classifier) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LabelledText data = spec.data();
        List<String> classes = data.classes();
        Map<String, Integer> index = TextClassifiers.index(classes);
        int n = classes.size();
        int padId = vocab.padId();
        int batchSize = config.eval().batchSize();
        Broadcast<Vocabulary> shared = sc.broadcast(vocab);
        BroadcastGraph graph = new BroadcastGraph(sc, classifier);
        try {
            sc.setJobDescription("fine-tune: classify the test documents");
            long[] counts = DocumentEncoding.encode(data.testDocuments(), shared, config.documentLength())
                    .mapPartitions((Iterator<EncodedDocument> it) -> {
                        long[] c = new long[n * n];
                        List<EncodedDocument> batch = new ArrayList<>(batchSize);
                        while (it.hasNext()) {
                            batch.add(it.next());
                            if (batch.size() == batchSize || !it.hasNext()) {
                                List<EncodedDocument> docs = List.copyOf(batch);
                                long[] predicted = graph.with(g -> predict(g, docs, padId));
                                for (int i = 0; i < docs.size(); i++) {
                                    c[index.get(docs.get(i).label()) * n + (int) predicted[i]]++;
                                }
                                batch.clear();
                            }
                        }
                        return List.of(c).iterator();
                    }).reduce((a, b) -> {
                        for (int i = 0; i < a.length; i++) {
                            a[i] += b[i];
                        }
                        return a;
                    });
            long[][] confusion = new long[n][n];
            for (int t = 0; t < n; t++) {
                System.arraycopy(counts, t * n, confusion[t], 0, n);
            }
            ClassificationScores scores = ClassificationScores.of(confusion, classes, data.trainCounts());
            sc.setJobDescription("fine-tune: bag-of-words logistic regression (baseline)");
            ClassificationScores bagOfWords = ClassificationScores.of(TextClassifiers.bagOfWords(spark,
                    data.trainDocuments(), data.testDocuments(), classes, config.eval()), classes,
                    data.trainCounts());
            ObjectNode result = JSON.createObjectNode();
            result.put("probe", NAME);
            result.put("model", run.root().toString());
            result.put("test", data.test().path());
            result.put("trainDocuments", data.train().count());
            result.put("testDocuments", scores.total());
            result.put("trainRejected", data.train().rejects().rejected());
            result.put("testRejected", data.test().rejects().rejected());
            result.put("classes", n);
            result.put("maxSeqLength", config.documentLength());
            scores.put(result, "");
            bagOfWords.put(result, "baseline");
            result.put("f1Of", scores.f1Definition());
            result.put("baseline", "bag-of-words logistic regression on the whole documents (TF-IDF of the "
                    + config.eval().bagOfWordsVocabSize() + " most frequent words)");
            result.put("evaluatedAt", Instant.now().toString());
            log.info(String.format(Locale.ROOT, "fine-tuned classifier on %d test documents: accuracy %.4f, F1 %.4f; "
                            + "bag of words: accuracy %.4f, F1 %.4f", scores.total(), scores.accuracy(), scores.f1(),
                    bagOfWords.accuracy(), bagOfWords.f1()));
            TextProbe.write(run, NAME, result);
            return result;
        } finally {
            graph.destroy();
            shared.destroy(false);
        }
    }

    /** The most probable class of each document. */
    static long[] predict(ComputationGraph classifier, List<EncodedDocument> docs, int padId) {
        DocumentBatch batch = DocumentBatch.of(docs, padId);
        INDArray probabilities = classifier.output(false, new INDArray[] {batch.tokenIds(), batch.segmentIds()},
                new INDArray[] {batch.attentionMask(), null})[0]; // [B, classes]
        return Nd4j.argMax(probabilities, 1).toLongVector();
    }
}
