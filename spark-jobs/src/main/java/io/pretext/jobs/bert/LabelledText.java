package io.pretext.jobs.bert;

import io.pretext.data.text.TextCorpus;
import io.pretext.data.text.TextDataConfig;
import io.pretext.data.text.TextDocument;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A labelled train/test pair of text corpora (one sub-folder per class, or a JSONL/Parquet label field), read and
 * validated in the executors. The classes are the training set's labels, sorted; the test set may hold no other.
 *
 * @param trainCounts training documents per class, in class order
 */
record LabelledText(TextCorpus train, TextCorpus test, List<String> classes, long[] trainCounts) {

    static LabelledText open(SparkSession spark, String trainPath, String testPath, TextDataConfig data) {
        TextDataConfig auto = data.withFormat("auto");
        TextCorpus train = TextCorpus.open(spark, trainPath, auto).requireUsable();
        TextCorpus test = TextCorpus.open(spark, testPath, auto).requireUsable();
        List<String> classes = train.labels();
        if (classes.size() < 2) {
            throw new IllegalArgumentException("--train " + trainPath + " must be labelled with at least 2 classes "
                    + "(one sub-folder per class, or a data.labelField in JSONL/Parquet), found " + classes.size()
                    + (classes.isEmpty() ? "" : " (" + classes.get(0) + ")"));
        }
        List<String> unknown = new ArrayList<>(test.labels());
        unknown.removeAll(classes);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--test " + testPath + " has labels the training set lacks: " + unknown
                    + " (classes of --train " + trainPath + ": " + classes + ")");
        }
        requireLabelled(train, "--train " + trainPath);
        requireLabelled(test, "--test " + testPath);
        spark.sparkContext().setJobDescription("count the training documents per class");
        Map<String, Long> counts = train.documents().map(TextDocument::label).countByValue();
        long[] trainCounts = new long[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            trainCounts[c] = counts.getOrDefault(classes.get(c), 0L);
        }
        return new LabelledText(train, test, classes, trainCounts);
    }

    private static void requireLabelled(TextCorpus corpus, String what) {
        long unlabelled = corpus.documents().filter(d -> d.label() == null).count();
        if (unlabelled > 0) {
            throw new IllegalArgumentException(what + " holds " + unlabelled + " documents without a label (put "
                    + "every file in a class sub-folder, or give every record a data.labelField)");
        }
    }

    JavaRDD<TextDocument> trainDocuments() {
        return train.documents();
    }

    JavaRDD<TextDocument> testDocuments() {
        return test.documents();
    }

    void unpersist() {
        train.unpersist();
        test.unpersist();
    }
}
