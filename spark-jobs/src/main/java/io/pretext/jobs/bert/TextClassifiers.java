package io.pretext.jobs.bert;

import io.pretext.data.text.TextDocument;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The logistic regressions of the text evaluations (Spark MLlib, LBFGS, L2 {@code eval.probeRegParam}): on frozen
 * BERT features (standardised), and the bag-of-words baseline on the documents' whole text (lower-cased words,
 * the {@code eval.bagOfWordsVocabSize} most frequent in at least two training documents, TF-IDF weighted).
 */
final class TextClassifiers {

    private static final StructType FEATURES = new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("features", SQLDataTypes.VectorType(), false);
    private static final StructType TEXT = new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("text", DataTypes.StringType, false);

    private TextClassifiers() {
    }

    /** Trains on {@code train}'s {@code pooling} vectors and returns the confusion counts on {@code test}. */
    static long[][] probe(SparkSession spark, JavaRDD<TextFeatures.Vectors> train, JavaRDD<TextFeatures.Vectors> test,
                          String pooling, List<String> classes, BertEvalConfig eval) {
        Dataset<Row> trainRows = vectors(spark, train, pooling, classes).cache();
        try {
            LogisticRegression regression = logisticRegression(eval).setStandardization(true);
            return confusion(regression.fit(trainRows).transform(vectors(spark, test, pooling, classes)), classes);
        } finally {
            trainRows.unpersist();
        }
    }

    /** The bag-of-words baseline: trains on {@code train}'s text and returns the confusion counts on {@code test}. */
    static long[][] bagOfWords(SparkSession spark, JavaRDD<TextDocument> train, JavaRDD<TextDocument> test,
                               List<String> classes, BertEvalConfig eval) {
        Dataset<Row> trainRows = text(spark, train, classes).cache();
        try {
            Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new RegexTokenizer().setInputCol("text").setOutputCol("words").setPattern("\\W+").setToLowercase(true),
                new CountVectorizer().setInputCol("words").setOutputCol("counts")
                        .setVocabSize(eval.bagOfWordsVocabSize()).setMinDF(2),
                new IDF().setInputCol("counts").setOutputCol("features"),
                logisticRegression(eval).setStandardization(false)});
            PipelineModel model = pipeline.fit(trainRows);
            return confusion(model.transform(text(spark, test, classes)), classes);
        } finally {
            trainRows.unpersist();
        }
    }

    private static LogisticRegression logisticRegression(BertEvalConfig eval) {
        return new LogisticRegression().setRegParam(eval.probeRegParam()).setElasticNetParam(0.0)
                .setMaxIter(eval.probeMaxIter());
    }

    private static long[][] confusion(Dataset<Row> predicted, List<String> classes) {
        long[][] counts = new long[classes.size()][classes.size()];
        for (Row r : predicted.groupBy("label", "prediction").count().collectAsList()) {
            counts[(int) r.getDouble(0)][(int) r.getDouble(1)] += r.getLong(2);
        }
        return counts;
    }

    private static Dataset<Row> vectors(SparkSession spark, JavaRDD<TextFeatures.Vectors> vectors, String pooling,
                                        List<String> classes) {
        Map<String, Integer> index = index(classes);
        JavaRDD<Row> rows = vectors.map(v -> {
            float[] f = v.pooled(pooling);
            double[] d = new double[f.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = f[i];
            }
            return RowFactory.create((double) index.get(v.label()), Vectors.dense(d));
        });
        return spark.createDataFrame(rows, FEATURES);
    }

    private static Dataset<Row> text(SparkSession spark, JavaRDD<TextDocument> documents, List<String> classes) {
        Map<String, Integer> index = index(classes);
        JavaRDD<Row> rows = documents.map(d -> RowFactory.create((double) index.get(d.label()),
                String.join("\n", d.sentences())));
        return spark.createDataFrame(rows, TEXT);
    }

    static Map<String, Integer> index(List<String> classes) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        return index;
    }
}
