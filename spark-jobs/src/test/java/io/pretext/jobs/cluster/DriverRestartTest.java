package io.pretext.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleImages;
import io.pretext.jobs.storage.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver JVM is killed mid-run; {@code --resume} finishes the run from its last checkpoint. */
class DriverRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private List<String> args(Path images, Path out) {
        return new ArrayList<>(List.of("pretrain", "simclr", "--data", images.toString(), "--out", out.toString(),
                "--master", "local[2]",
                "--set", "data.channels=1", "--set", "data.height=28", "--set", "data.width=28",
                "--set", "train.workers=2", "--set", "train.batchSize=16", "--set", "train.averagingFrequency=2",
                "--set", "train.epochs=3", "--set", "train.logEverySteps=1", "--set", "train.checkpointEverySteps=4",
                "--set", "optimizer.warmupSteps=2"));
    }

    @Test
    void resumeCompletesARunWhoseDriverWasKilled() throws Exception {
        Path images = SampleImages.copy("train", List.of("trouser", "bag", "sneaker", "dress"), 50, dir.resolve("images"));
        Path out = dir.resolve("run");
        List<String> command = new ArrayList<>(List.of(LocalStandaloneCluster.javaBinary(), "-Xmx2g", "-cp",
                LocalStandaloneCluster.absoluteClasspath()));
        command.addAll(LocalStandaloneCluster.jvmOpens());
        command.add("-Dorg.eclipse.deeplearning4j.helpers.disable=false");
        command.add(Pretext.class.getName());
        command.addAll(args(images, out));
        Process driver = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("driver.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (!hasCheckpoint(out)) {
                assertTrue(System.nanoTime() < deadline && driver.isAlive(),
                        "no checkpoint before the driver ended: " + Files.readString(dir.resolve("driver.log")));
                Thread.sleep(200);
            }
        } finally {
            driver.destroyForcibly().waitFor();
        }
        assertTrue(Files.notExists(out.resolve(RunDirectory.MODEL)), "the killed run must not have finished");

        List<String> resume = args(images, out);
        resume.add("--resume");
        assertEquals(0, Pretext.run(resume.toArray(String[]::new)));

        JsonNode summary = JSON.readTree(out.resolve(RunDirectory.SUMMARY).toFile());
        assertNotNull(summary.get("resumedFrom").textValue());
        assertEquals(18, summary.get("steps").asLong()); // 200 / (2 x 16) = 6 per epoch, 3 epochs
        long previous = 0;
        for (String line : Files.readAllLines(out.resolve(RunDirectory.METRICS))) {
            long step = JSON.readTree(line).get("step").asLong();
            assertTrue(step > previous, "metrics steps strictly increase across the restart: " + step);
            previous = step;
        }
        assertEquals(18, previous);
    }

    private static boolean hasCheckpoint(Path out) throws Exception {
        Path checkpoints = out.resolve(RunDirectory.CHECKPOINTS);
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (var dirs = Files.list(checkpoints)) {
            return dirs.anyMatch(p -> p.getFileName().toString().startsWith("step-"));
        }
    }
}
