package io.pretext.jobs.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretext.jobs.cluster.LocalStandaloneCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Preprocessing streams: a driver JVM (Spark local mode, so also the executor) with a 192 MB heap turns an IDX
 * corpus of 600,000 images, over twice that heap, into 3x32x32 images over eight times it, without running out of
 * memory.
 */
class MemoryBoundTest {

    private static final Logger log = LoggerFactory.getLogger(MemoryBoundTest.class);
    private static final int HEAP_MB = 192;
    private static final int IMAGES = 600_000;
    private static final int SIDE = 28;

    @TempDir
    Path dir;

    /**
     * {@code IMAGES} Fashion-MNIST training images as an IDX file: the 60,000 repeated, each repetition shifted
     * sideways by one more pixel so that the copies are not duplicates of each other.
     */
    private Path corpus() throws IOException {
        Path source = Preprocessing.sharedData().resolve("fashion-mnist/train-images-idx3-ubyte.gz");
        byte[] pixels;
        int count;
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(source)))) {
            in.readInt();
            count = in.readInt();
            in.readInt();
            in.readInt();
            pixels = in.readNBytes(count * SIDE * SIDE);
        }
        Path file = dir.resolve("big-images-idx3-ubyte");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            out.writeInt(0x00000803);
            out.writeInt(IMAGES);
            out.writeInt(SIDE);
            out.writeInt(SIDE);
            byte[] image = new byte[SIDE * SIDE];
            for (int i = 0; i < IMAGES; i++) {
                int src = (i % count) * SIDE * SIDE;
                int shift = i / count;
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        image[y * SIDE + (x + shift) % SIDE] = pixels[src + y * SIDE + x];
                    }
                }
                out.write(image);
            }
        }
        return file;
    }

    @Test
    void aCorpusLargerThanTheHeapIsPreprocessedInAJvmOfThatHeap() throws Exception {
        Path input = corpus();
        Path dataset = dir.resolve("dataset");
        List<String> command = new ArrayList<>(List.of(LocalStandaloneCluster.javaBinary(), "-Xmx" + HEAP_MB + "m",
                "-cp", LocalStandaloneCluster.absoluteClasspath()));
        command.addAll(LocalStandaloneCluster.jvmOpens());
        command.addAll(List.of("io.pretext.jobs.Pretext", "preprocess", "--kind", "image", "--data", input.toString(),
                "--out", dataset.toString(), "--master", "local[2]",
                // Spark sets 300 MB of any heap aside and refuses heaps below 450 MB; 64 MB leaves -Xmx the bound
                "--spark-conf", "spark.testing.reservedMemory=" + (64 << 20),
                "--set", "data.channels=3", "--set", "data.height=32", "--set", "data.width=32",
                "--set", "shards.targetBytes=" + (64 << 20), "--set", "shards.rowGroupBytes=" + (4 << 20)));
        Path logFile = dir.resolve("preprocess.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        boolean done = p.waitFor(15, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(logFile);
        assertTrue(done, "preprocessing did not finish in 15 minutes");
        assertEquals(0, p.exitValue(), tail(output));
        assertFalse(output.contains("OutOfMemoryError"), tail(output));

        JsonNode counts = Preprocessing.manifest(dataset).get("counts");
        assertEquals(IMAGES, counts.get("read").asLong());
        long kept = counts.get("kept").asLong();
        assertEquals(IMAGES, kept + counts.get("duplicates").get("exact").asLong());
        long inShards = 0;
        long shardBytes = 0;
        for (JsonNode s : Preprocessing.manifest(dataset).get("shards")) {
            inShards += s.get("records").asLong();
            shardBytes += s.get("bytes").asLong();
        }
        assertEquals(kept, inShards);
        long heap = (long) HEAP_MB << 20;
        long decoded = kept * 3 * 32 * 32;
        assertTrue(Files.size(input) > 2 * heap, "the input is over twice the heap");
        assertTrue(decoded > 8 * heap, "the decoded images are over eight heaps");
        log.info("heap {} MB; input {} MB ({} images 28x28); decoded {} MB (3x32x32); shards {} MB", HEAP_MB,
                Files.size(input) >> 20, IMAGES, decoded >> 20, shardBytes >> 20);
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }
}
