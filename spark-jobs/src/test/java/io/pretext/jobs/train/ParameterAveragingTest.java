package io.pretext.jobs.train;

import io.pretext.jobs.LocalSpark;
import io.pretext.jobs.storage.CheckpointStore;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterAveragingTest {

    private static JavaSparkContext sc;
    private static JavaRDD<RegressionTask.Example> data;

    @BeforeAll
    static void start() {
        sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        data = sc.parallelize(RegressionTask.examples(1000, 3), 3).cache();
    }

    @AfterAll
    static void stop() {
        LocalSpark.stop();
    }

    private static TrainingConfig config(int workers, int epochs, long checkpointEvery) {
        return new TrainingConfig(workers, 25, 4, epochs, 0, 11, checkpointEvery, 5, 1, 1, 1);
    }

    private static List<RoundStats> train(ComputationGraph graph, TrainingConfig config, int workers,
                                          TrainingState start, CheckpointStore store, long totalSteps) {
        List<RoundStats> rounds = new ArrayList<>();
        new ParameterAveraging<RegressionTask.Example>(sc, config, workers, 1, step -> 5e-3)
                .train(graph, data, new RegressionTask(graph), start, totalSteps, store, rounds::add);
        return rounds;
    }

    @Test
    void lossFallsWithTwoWorkers(@TempDir Path dir) {
        TrainingConfig config = config(2, 3, 1000);
        ComputationGraph graph = RegressionTask.newGraph(5);
        long total = ParameterAveraging.plannedSteps(1000, config, 2);
        List<RoundStats> rounds = train(graph, config, 2, TrainingState.start(11, "fp"),
                new CheckpointStore(RunDirectory.create(dir.toString()), 2), total);
        assertEquals(total, rounds.get(rounds.size() - 1).step());
        double first = rounds.get(0).loss();
        double last = rounds.get(rounds.size() - 1).loss();
        assertTrue(last < 0.6 * first, "loss " + first + " -> " + last);
        assertTrue(rounds.stream().allMatch(r -> r.workers() == 2));
    }

    @Test
    void oneWorkerEqualsPlainSequentialTraining(@TempDir Path dir) {
        TrainingConfig config = config(1, 1, 1000);
        ComputationGraph averaged = RegressionTask.newGraph(5);
        long total = ParameterAveraging.plannedSteps(1000, config, 1);
        train(averaged, config, 1, TrainingState.start(11, "fp"),
                new CheckpointStore(RunDirectory.create(dir.toString()), 2), total);

        // the same batches in the same order, fitted on one graph with no averaging in between
        ComputationGraph sequential = RegressionTask.newGraph(5);
        RegressionTask task = new RegressionTask(sequential);
        List<RegressionTask.Example> order = new ParameterAveraging<RegressionTask.Example>(sc, config, 1, 1,
                s -> 0).shard(data, task, 0).collect();
        for (int b = 0; b + 25 <= order.size(); b += 25) {
            sequential.fit(task.batch(order.subList(b, b + 25), 11, 0));
        }
        assertArrayEquals(sequential.params().toFloatVector(), averaged.params().toFloatVector(), 1e-6f);
    }

    @Test
    void resumingFromACheckpointReachesTheSameParameters(@TempDir Path dir) {
        TrainingConfig config = config(2, 2, 8);
        long total = ParameterAveraging.plannedSteps(1000, config, 2);

        ComputationGraph straight = RegressionTask.newGraph(5);
        train(straight, config, 2, TrainingState.start(11, "fp"),
                new CheckpointStore(RunDirectory.create(dir.resolve("a").toString()), 2), total);

        CheckpointStore store = new CheckpointStore(RunDirectory.create(dir.resolve("b").toString()), 5);
        ComputationGraph crashing = RegressionTask.newGraph(5);
        RuntimeException crash = assertThrows(RuntimeException.class, () ->
                new ParameterAveraging<RegressionTask.Example>(sc, config, 2, 1, s -> 0).train(crashing, data,
                        new RegressionTask(crashing), TrainingState.start(11, "fp"), total, store,
                        new ParameterAveraging.Listener() {
                            @Override
                            public void onRound(RoundStats stats) {
                            }

                            @Override
                            public void onCheckpoint(String name, TrainingState state) {
                                if (state.step() >= 24) {
                                    throw new IllegalStateException("driver lost");
                                }
                            }
                        }));
        assertEquals("driver lost", crash.getMessage());

        CheckpointStore.Checkpoint checkpoint = store.latestValid().orElseThrow();
        assertTrue(checkpoint.state().step() >= 24 && checkpoint.state().step() < total);
        List<RoundStats> resumed = train(checkpoint.graph(), config, 2, checkpoint.state(), store, total);
        assertEquals(checkpoint.state().step() + config.averagingFrequency(), resumed.get(0).step());
        assertEquals(total, resumed.get(resumed.size() - 1).step());
        assertArrayEquals(straight.params().toFloatVector(), checkpoint.graph().params().toFloatVector(), 1e-6f);
    }

    @Test
    void stopsOnANonFiniteLossNamingTheStep(@TempDir Path dir) {
        TrainingConfig config = config(1, 1, 1000);
        ComputationGraph graph = RegressionTask.newGraph(5);
        graph.params().assign(Float.NaN);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> train(graph, config, 1,
                TrainingState.start(11, "fp"), new CheckpointStore(RunDirectory.create(dir.toString()), 2), 40));
        assertTrue(e.getMessage().contains("at step 1"), e.getMessage());
    }
}
