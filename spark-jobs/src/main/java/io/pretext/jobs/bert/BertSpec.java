package io.pretext.jobs.bert;

import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.DatasetReader;
import io.pretext.data.shard.Sharding;
import io.pretext.data.text.PackedSequence;
import io.pretext.data.text.SequencePacker;
import io.pretext.data.text.TextCorpus;
import io.pretext.data.text.TextIssueReason;
import io.pretext.data.text.TextReport;
import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.pretrain.DataFingerprint;
import io.pretext.jobs.pretrain.LearningRates;
import io.pretext.jobs.pretrain.PretrainSpec;
import io.pretext.jobs.pretrain.RejectLog;
import io.pretext.jobs.report.ReportSection;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.jobs.train.TrainingConfig;
import io.pretext.jobs.train.TrainingTask;
import io.pretext.zoo.bert.Bert;
import io.pretext.zoo.optim.OptimizerConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongToDoubleFunction;

/**
 * BERT pretraining: a text corpus in; sentence pairs packed once in the executors, masked afresh every epoch;
 * masked-LM + next-sentence training; the model and the encoder alone out. The run keeps its vocabulary.
 */
public final class BertSpec implements PretrainSpec<PackedSequence> {

    private static final Logger log = LoggerFactory.getLogger(BertSpec.class);

    private final BertRunConfig config;
    private final String dataPath;
    private final BertVocab.Source vocab;
    private OptimizerConfig optimizer;
    private Broadcast<Vocabulary> sharedVocab;
    private List<PackedSequence> heldOut = List.of();
    private long documentsRead;
    private long documentsUsable;
    /** Rejected and repaired inputs by reason, and for a preprocessed dataset its removed duplicates. */
    private final Map<String, Long> inputCounts = new LinkedHashMap<>();
    private SequenceStats stats = SequenceStats.NONE;

    public BertSpec(BertRunConfig config, String dataPath, BertVocab.Source vocab) {
        this.config = config;
        this.dataPath = dataPath;
        this.vocab = vocab;
        this.optimizer = config.optimizer();
    }

    public BertRunConfig config() {
        return config;
    }

    @Override
    public String model() {
        return "bert";
    }

    @Override
    public String exampleUnit() {
        return "sequences";
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
        details.put("vocab", vocab.location());
        details.put("vocabSha256", vocab.vocabulary().sha256());
        details.put("vocabSize", String.valueOf(vocab.vocabulary().size()));
        return details;
    }

    @Override
    public LoadedData<PackedSequence> load(SparkSession spark, RunDirectory run) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        BertVocab.keep(run, vocab.vocabulary());
        long seed = config.train().seed();
        Map<String, Long> rejected = new LinkedHashMap<>();
        JavaRDD<PackedSequence> packed;
        Runnable release;
        if (DatasetReader.isDataset(dataPath, sc.hadoopConfiguration())) {
            DatasetReader dataset = DatasetReader.open(spark, dataPath);
            DatasetManifest.Counts counts = requireCompatible(dataset.manifest()).counts();
            documentsRead = counts.read();
            documentsUsable = counts.kept();
            counts.rejected().forEach((reason, n) -> {
                rejected.put(reason, n);
                inputCounts.put("rejected: " + reason, n);
            });
            counts.repaired().forEach((reason, n) -> inputCounts.put("repaired: " + reason, n));
            inputCounts.put("duplicates removed in preprocessing", counts.duplicates().total());
            sc.setJobDescription("read the packed sequences of dataset " + dataPath);
            packed = dataset.sequences().persist(StorageLevel.MEMORY_AND_DISK());
            release = () -> { };
            if (dataset.manifest().seed() != null && dataset.manifest().seed() != seed) {
                log.info("the dataset was packed with seed {}, training masks with train.seed {}: pairs are the "
                        + "dataset's", dataset.manifest().seed(), seed);
            }
        } else {
            TextCorpus corpus = TextCorpus.open(spark, dataPath, config.data());
            TextReport report = corpus.rejects();
            RejectLog.write(run, report.samples().stream().filter(issue -> issue.reason().rejects())
                    .map(issue -> new RejectLog.Entry(issue.id(), issue.reason().key(), issue.detail())).toList());
            if (report.rejected() > 0) {
                log.warn("rejected {} of {} documents: {} (first listed in {})", report.rejected(), report.read(),
                        report.countsText(), run.path(RunDirectory.REJECTED));
            }
            corpus.requireUsable();
            documentsRead = report.read();
            documentsUsable = report.usable();
            for (Map.Entry<TextIssueReason, Long> e : report.counts().entrySet()) {
                inputCounts.put((e.getKey().rejects() ? "rejected: " : "repaired: ") + e.getKey().key(), e.getValue());
                if (e.getKey().rejects()) {
                    rejected.put(e.getKey().key(), e.getValue());
                }
            }
            sc.setJobDescription("pack " + report.usable() + " documents into sentence pairs of up to "
                    + config.text().maxSeqLength() + " tokens (train.seed " + seed + ")");
            packed = SequencePacker.pack(corpus.documents(), report.usable(), vocab.vocabulary(), config.text(), seed)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            release = corpus::unpersist;
        }
        sharedVocab = sc.broadcast(vocab.vocabulary());
        int shown = config.eval().reportSequences();
        sc.setJobDescription("report: set aside " + shown + " sequences for the masked-prediction preview");
        heldOut = shown == 0 ? List.of() : new ArrayList<>(packed.takeOrdered(shown, new ByOrderKey(seed)));
        Set<String> heldOutIds = new HashSet<>(heldOut.stream().map(PackedSequence::id).toList());
        JavaRDD<PackedSequence> records = heldOutIds.isEmpty() ? packed
                : packed.filter(p -> !heldOutIds.contains(p.id()));
        int maxSeqLength = config.text().maxSeqLength();
        sc.setJobDescription("count the training sequences and their tokens");
        stats = records.aggregate(SequenceStats.NONE, (s, p) -> s.add(p, maxSeqLength), SequenceStats::merge);
        release.run();
        if (stats.sequences() == 0) {
            throw new IllegalArgumentException("no training sequences: the " + documentsUsable + " usable "
                    + "documents under " + dataPath + " hold no sentence with a token of the vocabulary");
        }
        log.info(String.format(Locale.ROOT, "%d documents -> %d sequences, %d tokens (mean %.1f per sequence, "
                        + "%.1f%% with a random next segment), %d set aside for the report", documentsUsable,
                stats.sequences(), stats.tokens(), stats.meanLength(),
                100.0 * stats.randomNext() / stats.sequences(), heldOut.size()));
        String fingerprint = DataFingerprint.of(records.map(PackedSequence::id), stats.sequences());
        return new LoadedData<>(records, stats.sequences(), documentsRead, rejected, fingerprint);
    }

    @Override
    public ComputationGraph newGraph(long totalSteps) {
        optimizer = config.optimizer().withTotalSteps(totalSteps);
        return Bert.init(config.model(), optimizer);
    }

    @Override
    public TrainingTask<PackedSequence> task(ComputationGraph graph) {
        if (sharedVocab == null) {
            throw new IllegalStateException("load the data before asking for the training task");
        }
        return new BertTask(graph.getConfiguration().toJson(), sharedVocab, config.masking(),
                config.text().maxSeqLength());
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

    /** At the start: what the corpus became; at the start and the end: masked predictions on held-out sequences. */
    @Override
    public List<ReportSection> reportSections(SparkSession spark, JavaRDD<PackedSequence> records,
                                              ComputationGraph graph, boolean trained) {
        List<ReportSection> sections = new ArrayList<>();
        if (!trained) {
            sections.add(sequencesSection());
        }
        if (!heldOut.isEmpty()) {
            sections.add(MaskedPredictions.of(graph, heldOut, vocab.vocabulary(), config, trained));
        }
        return sections;
    }

    private ReportSection sequencesSection() {
        Vocabulary v = vocab.vocabulary();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("documents read", String.format(Locale.ROOT, "%,d", documentsRead)));
        rows.add(List.of("documents usable", String.format(Locale.ROOT, "%,d", documentsUsable)));
        inputCounts.forEach((what, n) -> rows.add(List.of(what, String.format(Locale.ROOT, "%,d", n))));
        rows.add(List.of("training sequences", String.format(Locale.ROOT, "%,d", stats.sequences())));
        rows.add(List.of("tokens", String.format(Locale.ROOT, "%,d (mean %.1f per sequence)", stats.tokens(),
                stats.meanLength())));
        rows.add(List.of("sequences of full length (" + config.text().maxSeqLength() + ")",
                String.format(Locale.ROOT, "%.1f%%", 100.0 * stats.full() / stats.sequences())));
        rows.add(List.of("B from another document (NSP label 1)",
                String.format(Locale.ROOT, "%.1f%%", 100.0 * stats.randomNext() / stats.sequences())));
        rows.add(List.of("set aside for the report", String.valueOf(heldOut.size())));
        rows.add(List.of("vocabulary", String.format(Locale.ROOT, "%,d tokens, sha256 %s (%s)", v.size(),
                v.sha256(), vocab.location())));
        String text = "The corpus as training sees it: documents are split into sentences, tokenized and packed "
                + "once into [CLS] A [SEP] B [SEP] pairs; the masked-LM masks are drawn afresh every epoch.";
        return new ReportSection("sequences", "Training sequences", text, List.of(),
                new ReportSection.Table(List.of("", "value"), rows));
    }

    /**
     * The manifest of a preprocessed dataset that this run can train on: packed sequences made with this run's
     * vocabulary, none longer than {@code text.maxSeqLength}; otherwise the error says what to change.
     */
    private DatasetManifest requireCompatible(DatasetManifest m) {
        if (!m.isText()) {
            throw new IllegalArgumentException("--data " + dataPath + " is a preprocessed " + m.kind() + " dataset; "
                    + "pretrain bert needs a text dataset (pretext preprocess --kind text) or a text corpus");
        }
        Vocabulary v = vocab.vocabulary();
        if (m.tokenizer() == null || !v.sha256().equals(m.tokenizer().vocabSha256())) {
            throw new IllegalArgumentException("--data " + dataPath + " was tokenized with the vocabulary "
                    + (m.tokenizer() == null ? "(none recorded)" : m.tokenizer().vocab() + " (sha256 "
                    + m.tokenizer().vocabSha256() + ")") + ", this run uses " + vocab.location() + " (sha256 "
                    + v.sha256() + "): pass the dataset's vocabulary with --vocab, or preprocess again with this one");
        }
        Integer packedLength = m.records().maxSeqLength();
        if (packedLength != null && packedLength > config.text().maxSeqLength()) {
            throw new IllegalArgumentException("--data " + dataPath + " holds sequences of up to " + packedLength
                    + " tokens, longer than text.maxSeqLength " + config.text().maxSeqLength() + ": set "
                    + "text.maxSeqLength=" + packedLength + " or preprocess again with text.maxSeqLength="
                    + config.text().maxSeqLength());
        }
        return m;
    }

    /** A seeded, stable choice across the corpus: the sequences with the smallest order keys. */
    private record ByOrderKey(long seed) implements Comparator<PackedSequence>, Serializable {
        @Override
        public int compare(PackedSequence a, PackedSequence b) {
            return Long.compare(Sharding.orderKey(a.id(), seed, -1), Sharding.orderKey(b.id(), seed, -1));
        }
    }
}
