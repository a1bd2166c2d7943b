package io.pretext.jobs.simclr;

import io.pretext.jobs.MiniHdfs;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleImages;
import io.pretext.jobs.storage.CheckpointStore;
import io.pretext.jobs.storage.RunDirectory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A SimCLR run whose run directory is on a real HDFS: same model as on the local file system, loadable back. */
class SimClrHdfsTest {

    @TempDir
    static Path dir;
    private static MiniHdfs hdfs;
    private static Path images;

    @BeforeAll
    static void start() {
        hdfs = new MiniHdfs(dir.resolve("hdfs"));
        images = SampleImages.copy("train", List.of("trouser", "bag"), 40, dir.resolve("images"));
    }

    @AfterAll
    static void stop() {
        hdfs.close();
    }

    private static String[] args(String out) {
        return new String[]{"pretrain", "simclr", "--data", images.toString(), "--out", out, "--master", "local[2]",
                "--set", "data.channels=1", "--set", "data.height=28", "--set", "data.width=28",
                "--set", "train.workers=1", "--set", "train.batchSize=16", "--set", "train.epochs=1",
                "--set", "optimizer.warmupSteps=1"};
    }

    @Test
    void anHdfsRunWritesTheSameModelAsALocalRunAndItLoadsBack() throws Exception {
        String hdfsOut = hdfs.uri() + "/runs/simclr";
        assertEquals(0, Pretext.run(args(hdfsOut)));
        assertEquals(0, Pretext.run(args(dir.resolve("local").toString())));

        RunDirectory remote = RunDirectory.open(hdfsOut);
        assertTrue(remote.root().toString().startsWith("hdfs://"));
        ComputationGraph fromHdfs;
        try (InputStream in = remote.openInput(RunDirectory.MODEL)) {
            fromHdfs = ModelSerializer.restoreComputationGraph(in, true);
        }
        ComputationGraph fromLocal = ModelSerializer.restoreComputationGraph(
                dir.resolve("local").resolve(RunDirectory.MODEL).toFile(), true);
        assertArrayEquals(fromLocal.params().toFloatVector(), fromHdfs.params().toFloatVector());
        assertArrayEquals(fromLocal.getUpdater().getStateViewArray().toFloatVector(),
                fromHdfs.getUpdater().getStateViewArray().toFloatVector());

        CheckpointStore.Checkpoint last = new CheckpointStore(remote, 3).latestValid().orElseThrow();
        assertArrayEquals(fromHdfs.params().toFloatVector(), last.graph().params().toFloatVector());
        assertEquals(5, last.state().step()); // 80 images / 16 per step
        assertTrue(remote.exists(RunDirectory.ENCODER));
        assertTrue(remote.readString(RunDirectory.METRICS).contains("\"step\":5"));
    }
}
