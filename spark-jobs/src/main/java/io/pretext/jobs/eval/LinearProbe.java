package io.pretext.jobs.eval;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Map;

/**
 * Linear probe: multinomial logistic regression (Spark MLlib, LBFGS, standardised features, L2) trained on
 * frozen encoder features of the labelled training set, scored by accuracy on the test set.
 */
public final class LinearProbe {

    private static final StructType SCHEMA = new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("features", SQLDataTypes.VectorType(), false);

    private LinearProbe() {
    }

    /** @return test accuracy in [0, 1] */
    public static double accuracy(SparkSession spark, JavaRDD<FeatureExtractor.Features> train,
                                  JavaRDD<FeatureExtractor.Features> test, List<String> classes, EvalConfig config) {
        Dataset<Row> trainRows = rows(spark, train, classes).cache();
        Dataset<Row> testRows = rows(spark, test, classes);
        try {
            LogisticRegressionModel model = new LogisticRegression()
                    .setFamily("multinomial")
                    .setRegParam(config.probeRegParam())
                    .setElasticNetParam(0.0)
                    .setMaxIter(config.probeMaxIter())
                    .setStandardization(true)
                    .fit(trainRows);
            Dataset<Row> predicted = model.transform(testRows);
            long total = predicted.count();
            long correct = predicted.filter("label = prediction").count();
            return total == 0 ? Double.NaN : (double) correct / total;
        } finally {
            trainRows.unpersist();
        }
    }

    private static Dataset<Row> rows(SparkSession spark, JavaRDD<FeatureExtractor.Features> features,
                                     List<String> classes) {
        Map<String, Integer> index = Labels.index(classes);
        JavaRDD<Row> rows = features.map(f -> {
            Integer label = index.get(f.label());
            double[] v = new double[f.vector().length];
            for (int i = 0; i < v.length; i++) {
                v[i] = f.vector()[i];
            }
            // a test label unseen in training can never be predicted: it keeps an index no class has
            return RowFactory.create(label == null ? -1.0 : (double) label, Vectors.dense(v));
        });
        return spark.createDataFrame(rows, SCHEMA);
    }
}
