package io.pretext.zoo.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.pretext.zoo.bert.Bert;
import io.pretext.zoo.bert.BertConfig;
import io.pretext.zoo.bert.BertPreset;
import io.pretext.zoo.optim.OptimizerConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training throughput of the BERT pretraining graph (MLM + NSP, Adam, float32, dropout 0.1) in tokens per
 * second, median and best of timed steps on one fixed random minibatch. Not a test; from the project root:
 * <pre>
 * mvn -o -q -pl model-zoo test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -Xmx8g -Dorg.eclipse.deeplearning4j.helpers.disable=false \
 *     -cp model-zoo/target/test-classes:model-zoo/target/classes:$(cat model-zoo/target/test.classpath) \
 *     io.pretext.zoo.bench.BertBenchmark [preset ...] [--batch 32] [--seq 128] [--steps 10] [--threads 2]
 * </pre>
 * The vocabulary is bert-base-uncased's size (30,522) and 20 masked positions per sequence are predicted, as
 * in BERT's own pretraining data at sequence length 128. {@code --threads n} caps ND4J's threads; set
 * {@code OMP_NUM_THREADS=n} as well so that its OpenMP and BLAS pools match. On a machine shared with other busy
 * processes, one thread has run up to 3x faster than two (the parallel element-wise ops wait for each other).
 * {@code spark-jobs/src/main/resources/bench/bert_torch.py} times the same model in PyTorch.
 */
public final class BertBenchmark {

    private static final int VOCAB = 30522;

    private BertBenchmark() {
    }

    public static void main(String[] args) {
        List<String> presets = new ArrayList<>();
        int batch = 32;
        int seq = 128;
        int steps = 10;
        int threads = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--seq" -> seq = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> presets.add(args[i]);
            }
        }
        if (presets.isEmpty()) {
            presets = List.of(BertPreset.BERT_TINY.key(), BertPreset.BERT_MINI.key());
        }
        if (threads > 0) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        for (String preset : presets) {
            run(preset, batch, seq, steps);
        }
    }

    private static void run(String preset, int batch, int seq, int steps) {
        BertConfig model = BertConfig.defaults().withPreset(preset).withVocabSize(VOCAB);
        OptimizerConfig adam = new OptimizerConfig("adam", 1e-4, 0.9, true, 0.0, 0, 0, 0.0, "constant");
        ComputationGraph graph = Bert.init(model, adam);
        MultiDataSet data = batch(batch, seq, 20, new Random(1));
        for (int i = 0; i < 3; i++) {
            graph.fit(data);
        }
        List<Double> tokensPerSecond = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            long start = System.nanoTime();
            graph.fit(data);
            tokensPerSecond.add((double) batch * seq / ((System.nanoTime() - start) / 1e9));
        }
        Collections.sort(tokensPerSecond);
        System.out.printf("dl4j %s batch %d x seq %d: %.0f tokens/s median, %.0f best (%d params, loss %.3f)%n",
                preset, batch, seq, tokensPerSecond.get(steps / 2), tokensPerSecond.get(steps - 1), graph.numParams(),
                graph.score());
    }

    /** Full-length sequences of random tokens, 20 masked positions each, random NSP labels. */
    private static MultiDataSet batch(int batch, int seq, int predictions, Random random) {
        float[][] tokens = new float[batch][seq];
        float[][] segments = new float[batch][seq];
        float[][] mask = new float[batch][seq];
        float[][] positions = new float[batch][predictions];
        float[][] labels = new float[batch][predictions];
        float[][] weights = new float[batch][predictions];
        float[][] nsp = new float[batch][2];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                tokens[b][t] = 1000 + random.nextInt(VOCAB - 1000);
                segments[b][t] = t < seq / 2 ? 0 : 1;
                mask[b][t] = 1;
            }
            int[] picked = random.ints(1, seq).distinct().limit(predictions).toArray();
            for (int j = 0; j < predictions; j++) {
                positions[b][j] = picked[j];
                labels[b][j] = tokens[b][picked[j]];
                weights[b][j] = 1;
                tokens[b][picked[j]] = 103;
            }
            nsp[b][random.nextInt(2)] = 1;
        }
        return new MultiDataSet(
                new INDArray[] {Nd4j.create(tokens), Nd4j.create(segments), Nd4j.create(positions)},
                new INDArray[] {Nd4j.create(labels), Nd4j.create(nsp)},
                new INDArray[] {Nd4j.create(mask), null, null},
                new INDArray[] {Nd4j.create(weights), null});
    }
}
