package io.pretext.jobs.report;

import io.pretext.jobs.config.ConfigYaml;
import io.pretext.jobs.pretrain.DataFingerprint;
import io.pretext.jobs.pretrain.LearningRates;
import io.pretext.jobs.pretrain.PretrainSpec;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.jobs.train.TrainingConfig;
import io.pretext.jobs.train.TrainingTask;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.LongToDoubleFunction;

/**
 * A second model family for report tests: y = sin(x . w / 2) on 8 features, trained by the same driver. Its report
 * section is a table of predictions after training; it has no pictures and no evaluation.
 */
final class RegressionSpec implements PretrainSpec<RegressionSpec.Example> {

    static final int EXAMPLES = 256;
    static final int SHOWN = 5;

    record Example(String id, float[] x, float y) implements Serializable {
    }

    private final TrainingConfig train = new TrainingConfig(2, 16, 2, 2, 0, 7, 4, 2, 1, 1, 0);

    @Override
    public String model() {
        return "regression";
    }

    @Override
    public String exampleUnit() {
        return "rows";
    }

    @Override
    public String resolvedConfigYaml() {
        return ConfigYaml.write(Map.of("train", train));
    }

    @Override
    public TrainingConfig training() {
        return train;
    }

    @Override
    public LoadedData<Example> load(SparkSession spark, RunDirectory run) {
        spark.sparkContext().setJobDescription("read generated regression rows");
        JavaRDD<Example> records = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(examples(), 2).cache();
        long count = records.count();
        return new LoadedData<>(records, count, count, Map.of(), DataFingerprint.of(records.map(Example::id), count));
    }

    @Override
    public ComputationGraph newGraph(long totalSteps) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(train.seed())
                .updater(new Adam(5e-3))
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(1)
                        .activation(Activation.IDENTITY).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @Override
    public TrainingTask<Example> task(ComputationGraph graph) {
        return new Task(graph.getConfiguration().toJson());
    }

    @Override
    public LongToDoubleFunction learningRate(ComputationGraph graph) {
        return LearningRates.of(graph);
    }

    @Override
    public void exportExtras(RunDirectory run, ComputationGraph trained) {
    }

    /** After training: the first examples' targets next to the trained graph's predictions. */
    @Override
    public List<ReportSection> reportSections(SparkSession spark, JavaRDD<Example> records, ComputationGraph graph,
                                              boolean trained) {
        if (!trained) {
            return List.of();
        }
        List<List<String>> rows = new ArrayList<>();
        for (Example e : examples().subList(0, SHOWN)) {
            float prediction = graph.outputSingle(Nd4j.create(new float[][]{e.x()})).getFloat(0);
            rows.add(List.of(e.id(), String.format(Locale.ROOT, "%.4f", e.y()),
                    String.format(Locale.ROOT, "%.4f", prediction)));
        }
        return List.of(new ReportSection("predictions", "Predictions", "Targets next to the trained model's output.",
                List.of(), new ReportSection.Table(List.of("example", "target", "prediction"), rows)));
    }

    static List<Example> examples() {
        Random random = new Random(3);
        float[] w = new float[8];
        for (int i = 0; i < 8; i++) {
            w[i] = (float) random.nextGaussian();
        }
        List<Example> out = new ArrayList<>(EXAMPLES);
        for (int i = 0; i < EXAMPLES; i++) {
            float[] x = new float[8];
            double dot = 0;
            for (int j = 0; j < 8; j++) {
                x[j] = (float) random.nextGaussian();
                dot += x[j] * w[j];
            }
            out.add(new Example("row-" + i, x, (float) Math.sin(dot / 2)));
        }
        return out;
    }

    private record Task(String graphJson) implements TrainingTask<Example> {
        @Override
        public String id(Example record) {
            return record.id();
        }

        @Override
        public MultiDataSet batch(List<Example> records, long seed, int epoch) {
            float[][] x = new float[records.size()][];
            float[][] y = new float[records.size()][1];
            for (int i = 0; i < records.size(); i++) {
                x[i] = records.get(i).x();
                y[i][0] = records.get(i).y();
            }
            return new org.nd4j.linalg.dataset.MultiDataSet(Nd4j.create(x), Nd4j.create(y));
        }
    }
}
