package io.pretext.jobs.train;

import io.pretext.data.shard.Sharding;
import io.pretext.jobs.storage.CheckpointStore;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * Synchronous parameter averaging on Spark's own machinery.
 *
 * <p>Each epoch the records are sharded over the workers from (seed, epoch) and sorted within each shard, then
 * kept in executor memory. Each round the driver broadcasts the parameters and updater state, every worker
 * (one task per shard) takes {@code averagingFrequency} steps on the next batches of its shard, and the driver
 * averages what comes back, weighted by the steps each worker took. Tasks keep no state between rounds, so a
 * lost executor costs one retried task; the (epoch, round) cursor in each checkpoint names exactly the data
 * already trained on.
 */
public final class ParameterAveraging<R> {

    private static final Logger log = LoggerFactory.getLogger(ParameterAveraging.class);

    /** Receives round figures and checkpoint events on the driver. */
    public interface Listener {
        /** A round that is logged (every {@code logEverySteps}, the first of a session and the last). */
        void onRound(RoundStats stats);

        /** Every round, logged or not, before {@link #onRound}: for live displays. */
        default void onAnyRound(RoundStats stats) {
        }

        default void onCheckpoint(String name, TrainingState state) {
        }

        default void onEpoch(int epoch, long[] shardSizes, long droppedRecords) {
        }
    }

    private final JavaSparkContext sc;
    private final TrainingConfig config;
    private final int workers;
    private final int threadsPerWorker;
    private final LongToDoubleFunction learningRate;

    /**
     * @param workers          resolved worker count (>= 1)
     * @param threadsPerWorker resolved ND4J threads per worker (0 = ND4J default)
     * @param learningRate     the schedule, by global step, for the metrics
     */
    public ParameterAveraging(JavaSparkContext sc, TrainingConfig config, int workers, int threadsPerWorker,
                              LongToDoubleFunction learningRate) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.sc = sc;
        this.config = config;
        this.workers = workers;
        this.threadsPerWorker = threadsPerWorker;
        this.learningRate = learningRate;
    }

    /** Steps the run will take on {@code records} examples: whole batches per worker per epoch, capped by maxSteps. */
    public static long plannedSteps(long records, TrainingConfig config, int workers) {
        long steps = stepsPerEpoch(records, config, workers) * config.epochs();
        return config.maxSteps() > 0 ? Math.min(steps, config.maxSteps()) : steps;
    }

    /**
     * Steps every worker takes per epoch: the whole batches an evenly split epoch holds. Hash sharding leaves
     * shards a little uneven; a larger shard's surplus sits the epoch out and a smaller shard's worker takes
     * fewer steps (its parameters then weigh less in the average), so that every epoch has the same length.
     */
    static long stepsPerEpoch(long records, TrainingConfig config, int workers) {
        long perWorker = records / ((long) workers * config.batchSize());
        if (perWorker < 1) {
            throw new IllegalArgumentException("the training data has " + records + " records, fewer than one batch "
                    + "per worker (train.batchSize " + config.batchSize() + " x " + workers + " workers); lower "
                    + "train.batchSize or train.workers, or add data");
        }
        return perWorker;
    }

    /**
     * Trains {@code master} in place from {@code start} to the end of the run, checkpointing on the way.
     *
     * @return the state after the last round
     */
    public TrainingState train(ComputationGraph master, JavaRDD<R> records, TrainingTask<R> task, TrainingState start,
                               long totalSteps, CheckpointStore checkpoints, Listener listener) {
        String graphKey = digest(task.graphJson());
        FaultCounter faults = FaultCounter.register(sc.sc());
        try {
            return trainEpochs(master, records, task, start, totalSteps, checkpoints, listener, graphKey, faults);
        } finally {
            faults.unregister(sc.sc());
        }
    }

    private TrainingState trainEpochs(ComputationGraph master, JavaRDD<R> records, TrainingTask<R> task,
                                      TrainingState start, long totalSteps, CheckpointStore checkpoints,
                                      Listener listener, String graphKey, FaultCounter faults) {
        TrainingState state = start;
        long lastCheckpointStep = state.step();
        long lastLogStep = state.step();
        long startedAt = System.currentTimeMillis() - state.elapsedMillis();

        epochs:
        for (int epoch = state.epoch(); epoch < config.epochs(); epoch++) {
            JavaRDD<R> shards = shard(records, task, epoch);
            try {
                sc.setJobDescription("shard epoch " + (epoch + 1) + ": shuffle from (seed, epoch) and cache");
                long[] sizes = shardSizes(shards);
                long stepsPerEpoch = stepsPerEpoch(Arrays.stream(sizes).sum(), config, workers);
                long dropped = 0;
                for (long size : sizes) {
                    dropped += size - Math.min(size / config.batchSize(), stepsPerEpoch) * config.batchSize();
                }
                int rounds = (int) ((stepsPerEpoch + config.averagingFrequency() - 1) / config.averagingFrequency());
                listener.onEpoch(epoch, sizes, dropped);
                int firstRound = epoch == state.epoch() ? state.round() : 0;
                for (int round = firstRound; round < rounds; round++) {
                    if (state.step() >= totalSteps) {
                        break epochs;
                    }
                    long roundStart = System.nanoTime();
                    int roundSteps = (int) Math.min(config.averagingFrequency(),
                            stepsPerEpoch - (long) round * config.averagingFrequency());
                    Broadcast<RoundInput> input = sc.broadcast(new RoundInput(ArrayBytes.write(master.params()),
                            updaterBytes(master), state.step(), epoch, round, roundSteps));
                    sc.setJobDescription("train epoch " + (epoch + 1) + " round " + (round + 1) + "/" + rounds
                            + ": " + workers + " workers x " + config.averagingFrequency() + " steps, then average");
                    Averaged averaged;
                    try {
                        averaged = shards.mapPartitionsWithIndex(
                                        new RoundFunction<>(task, graphKey, input, config, threadsPerWorker), true)
                                .treeAggregate(new Averaged(), Averaged::add, Averaged::merge, 2);
                    } finally {
                        input.destroy(false);
                    }
                    if (averaged.failure != null) {
                        throw new TrainingDivergedException(averaged.failure);
                    }
                    if (averaged.steps == 0) {
                        continue;
                    }
                    averaged.applyTo(master);
                    if (!finite(master.params())) {
                        throw new TrainingDivergedException("parameters became non-finite after averaging at step "
                                + (state.step() + averaged.maxSteps) + " (epoch " + epoch + ", round " + round + ")");
                    }
                    long wallNanos = System.nanoTime() - roundStart;
                    long step = state.step() + averaged.maxSteps;
                    long elapsed = System.currentTimeMillis() - startedAt;
                    double loss = averaged.lossSum / averaged.steps;
                    boolean epochDone = round + 1 == rounds;
                    state = new TrainingState(step, epochDone ? epoch + 1 : epoch, epochDone ? 0 : round + 1,
                            state.examples() + averaged.examples, state.seed(), elapsed, state.dataFingerprint(),
                            loss);
                    long wallMillis = wallNanos / 1_000_000;
                    long taskMillis = averaged.maxTaskNanos / 1_000_000;
                    RoundStats stats = new RoundStats(step, totalSteps, epoch, round, rounds, loss,
                            learningRate.applyAsDouble(step - 1), averaged.examples, averaged.workers, wallMillis,
                            averaged.maxComputeNanos / 1_000_000, taskMillis, averaged.maxWaitNanos / 1_000_000,
                            Math.max(0, wallMillis - taskMillis),
                            averaged.examples / Math.max(1e-9, wallNanos / 1e9), elapsed,
                            faults.takeFailedTasks(), faults.takeLostExecutors());
                    boolean last = step >= totalSteps || (epochDone && epoch + 1 == config.epochs());
                    listener.onAnyRound(stats);
                    if (step - lastLogStep >= config.logEverySteps() || last || round == firstRound) {
                        listener.onRound(stats);
                        lastLogStep = step;
                    }
                    if (step - lastCheckpointStep >= config.checkpointEverySteps() && !last) {
                        sc.setJobDescription("checkpoint at step " + step);
                        String name = checkpoints.save(master, state);
                        listener.onCheckpoint(name, state);
                        lastCheckpointStep = step;
                    }
                }
            } finally {
                shards.unpersist(false);
            }
        }
        return state;
    }

    /** The epoch's shards: record -> shard from (seed, epoch, id), sorted within the shard, cached. */
    JavaRDD<R> shard(JavaRDD<R> records, TrainingTask<R> task, int epoch) {
        JavaRDD<R> sharded = Sharding.epochShards(records, task::id, config.seed(), epoch, workers);
        sharded.setName("epoch " + (epoch + 1) + " shards");
        return sharded.persist(StorageLevel.MEMORY_AND_DISK());
    }

    private static <R> long[] shardSizes(JavaRDD<R> shards) {
        List<Tuple2<Integer, Long>> counts = shards.mapPartitionsWithIndex((Integer i, Iterator<R> it) -> {
            long n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            return List.of(new Tuple2<>(i, n)).iterator();
        }, true).collect();
        long[] sizes = new long[counts.size()];
        for (Tuple2<Integer, Long> c : counts) {
            sizes[c._1()] = c._2();
        }
        return sizes;
    }

    private static byte[] updaterBytes(ComputationGraph graph) {
        INDArray state = graph.getUpdater().getStateViewArray();
        return state == null || state.length() == 0 ? null : ArrayBytes.write(state);
    }

    private static boolean finite(INDArray array) {
        return !(array.isNaN().any() || array.isInfinite().any());
    }

    static String digest(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Step-weighted sums of the workers' parameters and updater states, combined in a tree across executors.
     * Arrays travel as ND4J bytes.
     */
    static final class Averaged implements java.io.Serializable {
        private byte[] paramSum;
        private byte[] updaterSum;
        int steps;
        int maxSteps;
        int workers;
        long examples;
        double lossSum;
        long maxComputeNanos;
        long maxWaitNanos;
        long maxTaskNanos;
        String failure;
        final List<String> executors = new ArrayList<>();

        Averaged add(WorkerResult r) {
            Averaged one = new Averaged();
            one.failure = r.failure();
            one.maxTaskNanos = r.totalNanos();
            one.maxComputeNanos = r.computeNanos();
            one.maxWaitNanos = r.waitNanos();
            if (r.steps() > 0) {
                one.steps = r.steps();
                one.maxSteps = r.steps();
                one.workers = 1;
                one.examples = r.examples();
                one.lossSum = r.lossSum();
                one.executors.add(r.executor());
                one.paramSum = ArrayBytes.write(ArrayBytes.read(r.params()).muli(r.steps()));
                if (r.updaterState() != null) {
                    one.updaterSum = ArrayBytes.write(ArrayBytes.read(r.updaterState()).muli(r.steps()));
                }
            }
            return merge(one);
        }

        Averaged merge(Averaged other) {
            Averaged out = new Averaged();
            out.failure = failure != null ? failure : other.failure;
            out.steps = steps + other.steps;
            out.maxSteps = Math.max(maxSteps, other.maxSteps);
            out.workers = workers + other.workers;
            out.examples = examples + other.examples;
            out.lossSum = lossSum + other.lossSum;
            out.maxComputeNanos = Math.max(maxComputeNanos, other.maxComputeNanos);
            out.maxWaitNanos = Math.max(maxWaitNanos, other.maxWaitNanos);
            out.maxTaskNanos = Math.max(maxTaskNanos, other.maxTaskNanos);
            out.executors.addAll(executors);
            out.executors.addAll(other.executors);
            out.paramSum = sum(paramSum, other.paramSum);
            out.updaterSum = sum(updaterSum, other.updaterSum);
            return out;
        }

        private static byte[] sum(byte[] a, byte[] b) {
            if (a == null) {
                return b;
            }
            if (b == null) {
                return a;
            }
            return ArrayBytes.write(ArrayBytes.read(a).addi(ArrayBytes.read(b)));
        }

        void applyTo(ComputationGraph graph) {
            graph.setParams(ArrayBytes.read(paramSum).divi(steps));
            INDArray view = graph.getUpdater().getStateViewArray();
            if (view != null && updaterSum != null) {
                view.assign(ArrayBytes.read(updaterSum).divi(steps));
            }
        }
    }
}
