package io.pretext.jobs.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.zoo.runtime.Nd4jRuntime;
import org.apache.spark.SparkContext;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code RUN_DIR/report/run.json}: what the driver knows about a run that no other file records while it runs: the
 * graph's size, the workers, where it ran, the data as loaded, each epoch's shards and the checkpoints written.
 *
 * @param setup       what the driver decided before the first round
 * @param cluster     where the run ran
 * @param startedAt   when training (this session of it) started
 * @param resumedFrom the checkpoint this session resumed from, or null
 * @param epochs      shard sizes of each epoch started so far
 * @param checkpoints checkpoints written, oldest first
 */
public record RunFacts(Setup setup, Cluster cluster, String startedAt, String resumedFrom, List<EpochShards> epochs,
                       List<Checkpoint> checkpoints) {

    static final String FILE = RunReport.DIR + "/run.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunFacts {
        epochs = List.copyOf(epochs);
        checkpoints = List.copyOf(checkpoints);
    }

    /**
     * @param model            the model family, e.g. simclr
     * @param exampleUnit      what one training example is called, e.g. images
     * @param parameters       trainable parameters of the graph
     * @param plannedSteps     steps the run will take
     * @param workers          parallel workers
     * @param threadsPerWorker ND4J threads per worker (0 = ND4J's default)
     * @param recordsRead      inputs read
     * @param recordsUsed      inputs that passed validation
     * @param rejected         rejected inputs by reason
     */
    public record Setup(String model, String exampleUnit, long parameters, long plannedSteps, int workers,
                        int threadsPerWorker, long recordsRead, long recordsUsed, Map<String, Long> rejected) {
        public Setup {
            rejected = Map.copyOf(rejected);
        }
    }

    /**
     * @param sparkMaster the master URL
     * @param sparkAppId  Spark's application id
     * @param executors   executor processes besides the driver (0 on a local master: the driver runs the tasks)
     * @param taskSlots   Spark's default parallelism
     * @param nd4j        the ND4J backend of the driver and whether native helpers are on
     */
    public record Cluster(String sparkMaster, String sparkAppId, int executors, int taskSlots, String nd4j) {

        static Cluster of(SparkContext sc) {
            int executors = sc.isLocal() ? 0 : Math.max(0, sc.statusTracker().getExecutorInfos().length - 1);
            String nd4j;
            try {
                nd4j = nd4jRuntime();
            } catch (RuntimeException | LinkageError e) {
                nd4j = "unknown (" + e + ")";
            }
            return new Cluster(sc.master(), sc.applicationId(), executors, sc.defaultParallelism(), nd4j);
        }
    }

    /** @param epoch 1-based; @param satOut records in partial batches that sat the epoch out */
    public record EpochShards(int epoch, List<Long> sizes, long satOut) {
        public EpochShards {
            sizes = List.copyOf(sizes);
        }
    }

    /** @param name the checkpoint's folder under {@code checkpoints/} */
    public record Checkpoint(String name, long step, String writtenAt) {
    }

    static RunFacts start(Setup setup, Cluster cluster, String resumedFrom) {
        return new RunFacts(setup, cluster, Instant.now().toString(), resumedFrom, List.of(), List.of());
    }

    /** This run continued from step {@code step}: the epochs and checkpoints of {@code earlier} up to there. */
    RunFacts continuing(RunFacts earlier, long step, int epoch) {
        List<EpochShards> keptEpochs = earlier.epochs.stream().filter(e -> e.epoch() <= epoch).toList();
        List<Checkpoint> keptCheckpoints = earlier.checkpoints.stream().filter(c -> c.step() <= step).toList();
        return new RunFacts(setup, cluster, startedAt, resumedFrom, keptEpochs, keptCheckpoints);
    }

    RunFacts withEpoch(EpochShards shards) {
        List<EpochShards> all = new ArrayList<>(epochs.stream().filter(e -> e.epoch() != shards.epoch()).toList());
        all.add(shards);
        return new RunFacts(setup, cluster, startedAt, resumedFrom, all, checkpoints);
    }

    RunFacts withCheckpoint(Checkpoint checkpoint) {
        List<Checkpoint> all = new ArrayList<>(checkpoints);
        all.add(checkpoint);
        return new RunFacts(setup, cluster, startedAt, resumedFrom, epochs, all);
    }

    void write(RunDirectory run) {
        try {
            run.writeString(FILE, JSON.writeValueAsString(this));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + FILE, e);
        }
    }

    /** The facts of a run, or null for a run that has none (e.g. one made before reports existed). */
    static RunFacts read(RunDirectory run) {
        if (!run.exists(FILE)) {
            return null;
        }
        try {
            return JSON.readValue(run.readString(FILE), RunFacts.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable " + run.path(FILE) + ": " + e.getMessage());
        }
    }

    /** One line on the driver's ND4J runtime: backend, native build, oneDNN, DL4J layer helpers, threads. */
    static String nd4jRuntime() {
        return Nd4jRuntime.describe();
    }
}
