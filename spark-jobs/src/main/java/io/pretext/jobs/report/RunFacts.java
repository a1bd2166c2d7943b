package io.pretext.jobs.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.SparkContext;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

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

    /**
     * One line on the driver's ND4J runtime: backend, BLAS, threads, and whether DL4J's oneDNN layer helpers are
     * active (they need the helpers enabled by system property and a backend that reports oneDNN in use).
     */
    static String nd4jRuntime() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        boolean helpersEnabled = !Boolean.parseBoolean(
                System.getProperty("org.eclipse.deeplearning4j.helpers.disable", "true"));
        String helpers;
        if (!"CPU".equalsIgnoreCase(String.valueOf(env.get("backend")))) {
            helpers = "layer helpers " + (helpersEnabled ? "enabled" : "disabled");
        } else {
            helpers = "oneDNN layer helpers " + (helpersEnabled && oneDnnInUse() ? "active" : "inactive")
                    + (helpersEnabled ? "" : " (disabled by org.eclipse.deeplearning4j.helpers.disable)");
        }
        // the executioner stores numbers as Integer values, which Properties.getProperty does not return
        return String.format(Locale.ROOT, "%s (%s, BLAS %s, %s cores, %s OpenMP threads); %s", backend,
                env.getOrDefault("backend", "?"), env.getOrDefault("blas.vendor", "?"),
                env.getOrDefault("cores", "?"), env.getOrDefault("omp.threads", "?"), helpers);
    }

    /** DL4J's own test for its oneDNN helpers, looked up by name: the CPU backend may be absent (CUDA builds). */
    private static boolean oneDnnInUse() {
        try {
            Class<?> helper = Class.forName("org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper");
            Method enabled = helper.getMethod("mklDnnEnabled");
            return (boolean) enabled.invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
