package io.pretext.jobs.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.data.image.ImageCorpus;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.shard.Sharding;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Linear-probe and kNN evaluation of a frozen image encoder on a labelled train/test pair, with the same
 * encoder at its random initialisation scored in the same run as the baseline. Results are printed as one JSON
 * object and written to {@code RUN_DIR/eval/<probe>.json}.
 */
public final class ProbeEvaluation {

    private static final Logger log = LoggerFactory.getLogger(ProbeEvaluation.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The probes. */
    public enum Probe {
        LINEAR_PROBE("linear-probe"), KNN("knn");

        final String key;

        Probe(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** The encoders under test: pretrained, and the same architecture at its initial weights. */
    public record Encoders(ComputationGraph pretrained, ComputationGraph randomInit, ImageDataConfig data) {
    }

    private ProbeEvaluation() {
    }

    public static ObjectNode run(SparkSession spark, RunDirectory run, Encoders encoders, List<Probe> probes,
                                 String trainPath, String testPath, EvalConfig config) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ImageDataConfig data = encoders.data().withFormat("auto");
        sc.setJobDescription("evaluate: read labelled train set " + trainPath);
        ImageCorpus trainCorpus = ImageCorpus.open(spark, trainPath, data).requireUsable();
        sc.setJobDescription("evaluate: read labelled test set " + testPath);
        ImageCorpus testCorpus = ImageCorpus.open(spark, testPath, data).requireUsable();
        List<String> classes = trainCorpus.labels();
        if (classes.size() < 2) {
            throw new IllegalArgumentException("--train " + trainPath + " must be labelled with at least 2 classes "
                    + "(one sub-folder per class, a Parquet label column, or IDX labels), found " + classes.size());
        }
        JavaRDD<ImageRecord> train = limit(trainCorpus.records(), config.maxTrainRecords(), trainCorpus.count());
        JavaRDD<ImageRecord> test = testCorpus.records();

        ObjectNode result = JSON.createObjectNode();
        result.put("model", run.root().toString());
        result.put("train", trainPath);
        result.put("test", testPath);
        result.put("trainImages", train.count());
        result.put("testImages", testCorpus.count());
        result.put("classes", classes.size());
        for (Probe probe : probes) {
            ObjectNode node = result.putObject(probe.key());
            switch (probe) {
                case LINEAR_PROBE -> {
                    node.put("regParam", config.probeRegParam());
                    node.put("maxIter", config.probeMaxIter());
                }
                case KNN -> node.put("k", config.knnK());
            }
        }
        for (boolean pretrained : new boolean[]{true, false}) {
            ComputationGraph encoder = pretrained ? encoders.pretrained() : encoders.randomInit();
            String which = pretrained ? "pretrained" : "random-init";
            sc.setJobDescription("evaluate: " + which + " encoder features");
            FeatureExtractor extractor = new FeatureExtractor(sc, encoder, config.batchSize());
            JavaRDD<FeatureExtractor.Features> trainFeatures =
                    extractor.extract(train).persist(StorageLevel.MEMORY_AND_DISK());
            JavaRDD<FeatureExtractor.Features> testFeatures =
                    extractor.extract(test).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                for (Probe probe : probes) {
                    sc.setJobDescription("evaluate " + probe.key() + ": " + which + " encoder");
                    double accuracy = switch (probe) {
                        case LINEAR_PROBE -> LinearProbe.accuracy(spark, trainFeatures, testFeatures, classes, config);
                        case KNN -> KnnProbe.accuracy(sc, trainFeatures, testFeatures, classes, config);
                    };
                    ObjectNode node = (ObjectNode) result.get(probe.key());
                    node.put(pretrained ? "accuracy" : "randomInitAccuracy", accuracy);
                    if (pretrained) {
                        node.put("featureSize", trainFeatures.first().vector().length);
                    }
                    log.info(String.format(Locale.ROOT, "%s accuracy, %s encoder: %.4f", probe.key(), which, accuracy));
                }
            } finally {
                trainFeatures.unpersist(false);
                testFeatures.unpersist(false);
                extractor.destroy();
            }
        }
        for (Probe probe : probes) {
            ObjectNode node = (ObjectNode) result.get(probe.key());
            node.put("evaluatedAt", Instant.now().toString());
            ObjectNode file = JSON.createObjectNode();
            file.put("probe", probe.key());
            result.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode()) {
                    file.set(e.getKey(), e.getValue());
                }
            });
            file.setAll(node);
            try {
                run.writeString(RunDirectory.EVAL + "/" + probe.key() + ".json", JSON.writeValueAsString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        trainCorpus.unpersist();
        testCorpus.unpersist();
        return result;
    }

    /** At most {@code max} records (0 = all), chosen by the stable id hash so the choice is reproducible. */
    static JavaRDD<ImageRecord> limit(JavaRDD<ImageRecord> records, long max, long count) {
        if (max <= 0 || max >= count) {
            return records;
        }
        double fraction = (double) max / count;
        return records.filter(r -> Math.floorMod(Sharding.orderKey(r.id(), 7L, 0), 1_000_000L) < fraction * 1e6);
    }
}
