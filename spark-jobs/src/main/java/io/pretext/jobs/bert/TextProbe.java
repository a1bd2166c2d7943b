package io.pretext.jobs.bert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.data.text.EncodedDocument;
import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code pretext evaluate text-probe}: logistic regression on frozen features of a BERT run's encoder, the
 * {@code [CLS]} state and the mean-pooled token states, trained on a labelled set and scored on another, next to a
 * bag-of-words logistic regression on the same documents, all in the same run. Written to
 * {@code RUN_DIR/eval/text-probe.json}: {@code clsAccuracy}, {@code clsF1}, {@code meanAccuracy},
 * {@code meanF1}, each with its bag-of-words {@code baseline...} sibling.
 */
public final class TextProbe {

    public static final String NAME = "text-probe";

    private static final Logger log = LoggerFactory.getLogger(TextProbe.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TextProbe() {
    }

    /**
     * @param encoder the run's {@link io.pretext.zoo.bert.Bert#encoderOnly} graph
     */
    public static ObjectNode run(SparkSession spark, RunDirectory run, BertRunConfig config, Vocabulary vocab,
                                 ComputationGraph encoder, String trainPath, String testPath) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        BertEvalConfig eval = config.eval();
        LabelledText data = LabelledText.open(spark, trainPath, testPath, config.data());
        Broadcast<Vocabulary> shared = sc.broadcast(vocab);
        int length = config.documentLength();
        TextFeatures features = new TextFeatures(sc, encoder, vocab.padId(), eval.batchSize());
        try {
            sc.setJobDescription("text probe: encoder features of the training documents");
            JavaRDD<TextFeatures.Vectors> train = features.extract(DocumentEncoding.encode(data.trainDocuments(),
                    shared, length)).persist(StorageLevel.MEMORY_AND_DISK());
            sc.setJobDescription("text probe: encoder features of the test documents");
            JavaRDD<TextFeatures.Vectors> test = features.extract(DocumentEncoding.encode(data.testDocuments(),
                    shared, length)).persist(StorageLevel.MEMORY_AND_DISK());
            ObjectNode result = JSON.createObjectNode();
            result.put("probe", NAME);
            result.put("model", run.root().toString());
            result.put("train", trainPath);
            result.put("test", testPath);
            result.put("trainDocuments", train.count());
            result.put("testDocuments", test.count());
            result.put("trainRejected", data.train().rejects().rejected());
            result.put("testRejected", data.test().rejects().rejected());
            result.put("classes", data.classes().size());
            result.put("maxSeqLength", length);
            result.put("featureSize", train.first().cls().length);
            result.put("regParam", eval.probeRegParam());
            result.put("maxIter", eval.probeMaxIter());
            ClassificationScores bagOfWords = null;
            for (String pooling : BertEvalConfig.POOLINGS) {
                sc.setJobDescription("text probe: logistic regression on " + pooling + " features");
                ClassificationScores scores = ClassificationScores.of(TextClassifiers.probe(spark, train, test,
                        pooling, data.classes(), eval), data.classes(), data.trainCounts());
                if (bagOfWords == null) {
                    sc.setJobDescription("text probe: bag-of-words logistic regression (baseline)");
                    bagOfWords = ClassificationScores.of(TextClassifiers.bagOfWords(spark, data.trainDocuments(),
                            data.testDocuments(), data.classes(), eval), data.classes(), data.trainCounts());
                    result.put("f1Of", scores.f1Definition());
                }
                scores.put(result, pooling);
                bagOfWords.put(result, "baseline" + Character.toUpperCase(pooling.charAt(0)) + pooling.substring(1));
                log.info(String.format(Locale.ROOT, "text probe, %s features: accuracy %.4f, F1 %.4f; bag of words: "
                                + "accuracy %.4f, F1 %.4f", pooling, scores.accuracy(), scores.f1(),
                        bagOfWords.accuracy(), bagOfWords.f1()));
            }
            result.put("baseline", "bag-of-words logistic regression on the whole documents (TF-IDF of the "
                    + eval.bagOfWordsVocabSize() + " most frequent words)");
            result.put("bagOfWordsVocabSize", eval.bagOfWordsVocabSize());
            result.put("evaluatedAt", Instant.now().toString());
            write(run, NAME, result);
            train.unpersist(false);
            test.unpersist(false);
            return result;
        } finally {
            features.destroy();
            shared.destroy(false);
            data.unpersist();
        }
    }

    static void write(RunDirectory run, String name, ObjectNode result) {
        try {
            run.writeString(RunDirectory.EVAL + "/" + name + ".json", JSON.writeValueAsString(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
