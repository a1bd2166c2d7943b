package io.pretext.jobs.train;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One worker's share of an averaging round, run as a Spark task over its shard of the epoch: load the broadcast
 * parameters and updater state into a pooled graph, take the round's batches from the shard, prepare them
 * (augmentation) a few batches ahead on a second thread, fit, and return the new parameters.
 *
 * <p>The task is a pure function of (broadcast, shard, seed), so a retry after a lost executor computes the
 * same result.
 */
final class RoundFunction<R> implements Function2<Integer, Iterator<R>, Iterator<WorkerResult>> {

    private final TrainingTask<R> task;
    private final String graphKey;
    private final Broadcast<RoundInput> input;
    private final int batchSize;
    private final int averagingFrequency;
    private final int prefetch;
    private final int threads;
    private final long seed;

    RoundFunction(TrainingTask<R> task, String graphKey, Broadcast<RoundInput> input, TrainingConfig config,
                  int threads) {
        this.task = task;
        this.graphKey = graphKey;
        this.input = input;
        this.batchSize = config.batchSize();
        this.averagingFrequency = config.averagingFrequency();
        this.prefetch = config.prefetchBatches();
        this.threads = threads;
        this.seed = config.seed();
    }

    @Override
    public Iterator<WorkerResult> call(Integer worker, Iterator<R> shard) throws Exception {
        long started = System.nanoTime();
        WorkerRuntime.configure(threads);
        int gpu = WorkerRuntime.scheduledGpu();
        WorkerRuntime.useGpu(gpu);
        RoundInput in = input.value();

        long skip = (long) in.round() * averagingFrequency * batchSize;
        for (long i = 0; i < skip && shard.hasNext(); i++) {
            shard.next();
        }
        List<List<R>> batches = new ArrayList<>(in.steps());
        while (batches.size() < in.steps()) {
            List<R> batch = new ArrayList<>(batchSize);
            while (batch.size() < batchSize && shard.hasNext()) {
                batch.add(shard.next());
            }
            if (batch.size() < batchSize) {
                break; // a shard's last partial batch is left out of this epoch
            }
            batches.add(batch);
        }
        if (batches.isEmpty()) {
            return List.of(new WorkerResult(worker, 0, 0, 0, 0, 0, System.nanoTime() - started, null, null, null,
                    executor())).iterator();
        }

        String poolKey = gpu < 0 ? graphKey : graphKey + "@gpu" + gpu; // a graph lives on the device it was built on
        ComputationGraph graph = GraphPool.borrow(poolKey, task.graphJson());
        ExecutorService preparer = prefetch > 0 ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(() -> {
                WorkerRuntime.useGpu(gpu);
                r.run();
            }, "pretext-batch-prep-" + worker);
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            graph.setParams(ArrayBytes.read(in.params()));
            INDArray updater = graph.getUpdater().getStateViewArray();
            if (updater != null && in.updaterState() != null) {
                updater.assign(ArrayBytes.read(in.updaterState()));
            }
            graph.getConfiguration().setIterationCount((int) in.step());
            graph.getConfiguration().setEpochCount(in.epoch());
            Nd4j.getRandom().setSeed(seed * 1_000_003L + in.step() * 997L + worker);

            Deque<Future<MultiDataSet>> ahead = new ArrayDeque<>();
            int next = 0;
            int steps = 0;
            long examples = 0;
            double lossSum = 0;
            long computeNanos = 0;
            long waitNanos = 0;
            String failure = null;
            for (int s = 0; s < batches.size(); s++) {
                MultiDataSet data;
                if (preparer == null) {
                    long t0 = System.nanoTime();
                    data = task.batch(batches.get(s), seed, in.epoch());
                    waitNanos += System.nanoTime() - t0;
                } else {
                    while (next < batches.size() && ahead.size() <= prefetch) {
                        List<R> batch = batches.get(next++);
                        ahead.add(preparer.submit(() -> task.batch(batch, seed, in.epoch())));
                    }
                    long t0 = System.nanoTime();
                    data = get(ahead.poll());
                    waitNanos += System.nanoTime() - t0;
                }
                long t0 = System.nanoTime();
                // DL4J adds the weight-decay term 0.5 * decay * |w|^2 to the score; decoupled weight decay is no part
                // of the objective, so the loss reported is the score less that term, at the parameters it scored
                double decayTerm = graph.calcRegularizationScore(true);
                graph.fit(data);
                computeNanos += System.nanoTime() - t0;
                double loss = graph.score() - decayTerm;
                steps++;
                examples += batches.get(s).size();
                if (!Double.isFinite(loss)) {
                    failure = "loss became " + loss + " at step " + (in.step() + steps) + " on worker " + worker
                            + " (epoch " + in.epoch() + ", round " + in.round() + ")";
                    break;
                }
                lossSum += loss;
            }
            byte[] params = ArrayBytes.write(graph.params());
            INDArray state = graph.getUpdater().getStateViewArray();
            byte[] updaterState = state == null ? null : ArrayBytes.write(state);
            return List.of(new WorkerResult(worker, steps, examples, lossSum, computeNanos, waitNanos,
                    System.nanoTime() - started, failure, params, updaterState, executor())).iterator();
        } finally {
            if (preparer != null) {
                preparer.shutdownNow();
            }
            GraphPool.release(poolKey, graph);
        }
    }

    private static MultiDataSet get(Future<MultiDataSet> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static String executor() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "local" : env.executorId();
    }
}
