package io.pretext.jobs.train;

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
import java.util.Random;

/** A small regression problem for the averaging engine: y = sin(x . w) on 8 features. */
final class RegressionTask implements TrainingTask<RegressionTask.Example> {

    record Example(String id, float[] x, float y) implements Serializable {
    }

    private final String json;

    RegressionTask(ComputationGraph graph) {
        this.json = graph.getConfiguration().toJson();
    }

    static ComputationGraph newGraph(long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
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

    static List<Example> examples(int n, long seed) {
        Random random = new Random(seed);
        float[] w = new float[8];
        for (int i = 0; i < 8; i++) {
            w[i] = (float) random.nextGaussian();
        }
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] x = new float[8];
            double dot = 0;
            for (int j = 0; j < 8; j++) {
                x[j] = (float) random.nextGaussian();
                dot += x[j] * w[j];
            }
            out.add(new Example("ex-" + i, x, (float) Math.sin(dot / 2)));
        }
        return out;
    }

    @Override
    public String graphJson() {
        return json;
    }

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
