package io.pretext.jobs.bert;

import io.pretext.data.text.EncodedDocument;
import io.pretext.data.text.TextReport;
import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.pretrain.DataFingerprint;
import io.pretext.jobs.pretrain.LearningRates;
import io.pretext.jobs.pretrain.PretrainSpec;
import io.pretext.jobs.pretrain.RejectLog;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.jobs.train.TrainingConfig;
import io.pretext.jobs.train.TrainingTask;
import io.pretext.zoo.bert.Bert;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

/**
 * Fine-tuning a pretrained BERT encoder as a document classifier ({@link Bert#classifier}): the encoder and pooler
 * start from the pretrained run's weights and train with the new softmax head, nothing frozen, on Spark through the
 * same parameter averaging as pretraining. The run directory is a pretraining run's, model family
 * {@value #MODEL}; {@code encoder.zip} is the fine-tuned encoder.
 */
public final class FinetuneSpec implements PretrainSpec<EncodedDocument> {

    public static final String MODEL = "bert-classifier";

    private static final Logger log = LoggerFactory.getLogger(FinetuneSpec.class);

    private final FinetuneRunConfig config;
    private final BertRun pretrained;
    private final String trainPath;
    private final String testPath;
    private LabelledText data;
    private Broadcast<Vocabulary> sharedVocab;

    public FinetuneSpec(FinetuneRunConfig config, BertRun pretrained, String trainPath, String testPath) {
        this.config = config;
        this.pretrained = pretrained;
        this.trainPath = trainPath;
        this.testPath = testPath;
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public String exampleUnit() {
        return "documents";
    }

    @Override
    public String resolvedConfigYaml() {
        return config.toYaml();
    }

    @Override
    public TrainingConfig training() {
        return config.train();
    }

    @Override
    public Map<String, String> manifestDetails() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("pretrained", pretrained.dir().root().toString());
        details.put("test", testPath);
        details.put("vocabSha256", pretrained.vocab().sha256());
        return details;
    }

    /** The labelled training and test documents, read by {@link #load}. */
    LabelledText data() {
        if (data == null) {
            throw new IllegalStateException("load the data first");
        }
        return data;
    }

    @Override
    public LoadedData<EncodedDocument> load(SparkSession spark, RunDirectory run) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        BertVocab.keep(run, pretrained.vocab());
        data = LabelledText.open(spark, trainPath, testPath, config.data());
        TextReport report = data.train().rejects();
        RejectLog.write(run, report.samples().stream().filter(issue -> issue.reason().rejects())
                .map(issue -> new RejectLog.Entry(issue.id(), issue.reason().key(), issue.detail())).toList());
        Map<String, Long> rejected = new LinkedHashMap<>();
        report.counts().forEach((reason, n) -> {
            if (reason.rejects()) {
                rejected.put(reason.key(), n);
            }
        });
        sharedVocab = sc.broadcast(pretrained.vocab());
        sc.setJobDescription("fine-tune: tokenize the training documents (" + config.documentLength()
                + " tokens each at most)");
        JavaRDD<EncodedDocument> records = DocumentEncoding.encode(data.trainDocuments(), sharedVocab,
                config.documentLength()).persist(StorageLevel.MEMORY_AND_DISK());
        long count = records.count();
        log.info("fine-tuning on {} documents of {} classes {} (training counts {})", count, data.classes().size(),
                data.classes(), Arrays.toString(data.trainCounts()));
        String fingerprint = DataFingerprint.of(records.map(EncodedDocument::id), count);
        return new LoadedData<>(records, count, report.read(), rejected, fingerprint);
    }

    @Override
    public ComputationGraph newGraph(long totalSteps) {
        ComputationGraph classifier = Bert.classifier(config.model(), data().classes().size(),
                config.optimizer().withTotalSteps(totalSteps));
        List<String> expected = new ArrayList<>(classifier.paramTable().keySet());
        expected.removeIf(name -> name.startsWith(Bert.CLASSIFIER + "_"));
        List<String> copied = Bert.copyPretrainedParams(pretrained.pretrained(), classifier);
        expected.removeAll(copied);
        if (!expected.isEmpty()) {
            throw new IllegalStateException("the pretrained model of " + pretrained.dir() + " lacks the parameters "
                    + expected + " of the classifier's encoder");
        }
        log.info("classifier initialised from {}: {} parameter arrays copied, the {} head new", pretrained.dir(),
                copied.size(), Bert.CLASSIFIER);
        return classifier;
    }

    @Override
    public TrainingTask<EncodedDocument> task(ComputationGraph graph) {
        return new FinetuneTask(graph.getConfiguration().toJson(), data().classes(), pretrained.vocab().padId());
    }

    @Override
    public LongToDoubleFunction learningRate(ComputationGraph graph) {
        return LearningRates.of(graph);
    }

    @Override
    public void exportExtras(RunDirectory run, ComputationGraph trained) {
        ComputationGraph encoder = Bert.encoderOnly(trained, config.model());
        run.writeAtomically(RunDirectory.ENCODER, out -> ModelSerializer.writeModel(encoder, out, false));
    }
}
