package io.pretext.jobs.storage;

import io.pretext.jobs.train.TrainingState;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {

    private static TrainingState state(long step) {
        return new TrainingState(step, 1, 3, step * 64, 42, 1234, "10:abc", 1.5);
    }

    @Test
    void roundTripsParametersUpdaterStateAndCursor(@TempDir java.nio.file.Path dir) {
        RunDirectory run = RunDirectory.create(dir.resolve("run").toString());
        CheckpointStore store = new CheckpointStore(run, 3);
        ComputationGraph graph = TinyGraphs.trained(1);
        store.save(graph, state(20));

        CheckpointStore.Checkpoint loaded = store.latestValid().orElseThrow();
        assertEquals(state(20), loaded.state());
        assertArrayEquals(graph.params().toFloatVector(), loaded.graph().params().toFloatVector());
        assertArrayEquals(graph.getUpdater().getStateViewArray().toFloatVector(),
                loaded.graph().getUpdater().getStateViewArray().toFloatVector());
    }

    @Test
    void fallsBackToThePreviousCheckpointWhenTheNewestIsTruncated(@TempDir java.nio.file.Path dir) throws Exception {
        RunDirectory run = RunDirectory.create(dir.resolve("run").toString());
        CheckpointStore store = new CheckpointStore(run, 3);
        store.save(TinyGraphs.trained(1), state(10));
        store.save(TinyGraphs.trained(2), state(20));
        truncate(run, RunDirectory.CHECKPOINTS + "/step-000000020/" + RunDirectory.MODEL);

        assertEquals(10, store.latestValid().orElseThrow().state().step());
        assertThrows(CheckpointStore.CorruptCheckpointException.class, () -> store.load("step-000000020"));
    }

    @Test
    void detectsCorruptionOfTheSameSize(@TempDir java.nio.file.Path dir) throws Exception {
        RunDirectory run = RunDirectory.create(dir.resolve("run").toString());
        CheckpointStore store = new CheckpointStore(run, 3);
        store.save(TinyGraphs.trained(1), state(10));
        String model = RunDirectory.CHECKPOINTS + "/step-000000010/" + RunDirectory.MODEL;
        byte[] bytes = run.readBytes(model);
        bytes[bytes.length / 2] ^= 0x5A;
        run.writeAtomically(model, out -> out.write(bytes));

        CheckpointStore.CorruptCheckpointException e =
                assertThrows(CheckpointStore.CorruptCheckpointException.class, () -> store.load("step-000000010"));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertTrue(store.latestValid().isEmpty());
    }

    @Test
    void keepsOnlyTheNewestCheckpoints(@TempDir java.nio.file.Path dir) {
        RunDirectory run = RunDirectory.create(dir.resolve("run").toString());
        CheckpointStore store = new CheckpointStore(run, 2);
        ComputationGraph graph = TinyGraphs.trained(1);
        for (long step : new long[]{5, 10, 15, 20}) {
            store.save(graph, state(step));
        }
        assertEquals(java.util.List.of("step-000000020", "step-000000015"), store.names());
    }

    static void truncate(RunDirectory run, String relative) throws Exception {
        byte[] bytes;
        try (InputStream in = run.openInput(relative)) {
            bytes = in.readAllBytes();
        }
        Path path = run.path(relative);
        try (FSDataOutputStream out = run.fileSystem().create(path, true)) {
            out.write(bytes, 0, bytes.length / 2);
        }
    }
}
