package io.pretext.jobs.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.jobs.train.TrainingState;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Checkpoints under {@code RUN_DIR/checkpoints/step-NNNNNNNNN/}: the full model with updater state
 * ({@code model.zip}) and {@code state.json} (step, epoch, round cursor, seed, the SHA-256 and size of the model
 * file). A checkpoint is assembled in a temporary directory and renamed into place, and the newest
 * {@code keep} are kept. Loading verifies the checksum and falls back to the previous checkpoint when the newest
 * is truncated or corrupt.
 */
public final class CheckpointStore {

    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "step-";

    private final RunDirectory run;
    private final int keep;

    public CheckpointStore(RunDirectory run, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("train.keepCheckpoints must be >= 1, got " + keep);
        }
        this.run = run;
        this.keep = keep;
    }

    /** A loaded checkpoint: the graph (params + updater state) and where the run stood. */
    public record Checkpoint(String name, ComputationGraph graph, TrainingState state) {
    }

    /** Saves atomically and prunes old checkpoints; returns the checkpoint's directory name. */
    public String save(ComputationGraph graph, TrainingState state) {
        String name = String.format("%s%09d", PREFIX, state.step());
        Path dir = run.path(RunDirectory.CHECKPOINTS + "/" + name);
        Path tmp = run.path(RunDirectory.CHECKPOINTS + "/.tmp-" + name + "-" + UUID.randomUUID());
        try {
            run.fileSystem().mkdirs(tmp);
            MessageDigest sha = sha256();
            long bytes;
            try (FSDataOutputStream raw = run.fileSystem().create(new Path(tmp, RunDirectory.MODEL), true);
                 CountingDigestStream out = new CountingDigestStream(raw, sha)) {
                ModelSerializer.writeModel(graph, out, true);
                out.flush();
                raw.hsync();
                bytes = out.count;
            }
            ObjectNode json = JSON.valueToTree(state);
            json.put("modelSha256", HexFormat.of().formatHex(sha.digest()));
            json.put("modelBytes", bytes);
            try (FSDataOutputStream out = run.fileSystem().create(new Path(tmp, "state.json"), true)) {
                out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
                out.hsync();
            }
            run.replace(tmp, dir);
        } catch (IOException e) {
            run.deleteQuietly(tmp);
            throw new UncheckedStorageException("cannot write checkpoint " + dir, e);
        }
        prune();
        return name;
    }

    /** The newest checkpoint whose model file matches its recorded checksum, if any. */
    public Optional<Checkpoint> latestValid() {
        for (String name : names()) {
            try {
                return Optional.of(load(name));
            } catch (CorruptCheckpointException e) {
                log.warn("checkpoint {} is unusable ({}); trying the previous one", name, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Checkpoint directory names, newest first. */
    public List<String> names() {
        return run.list(RunDirectory.CHECKPOINTS).stream()
                .filter(FileStatus::isDirectory)
                .map(s -> s.getPath().getName())
                .filter(n -> n.startsWith(PREFIX))
                .sorted(Comparator.reverseOrder())
                .toList();
    }

    /** Loads one checkpoint, verifying size and SHA-256 of its model file. */
    public Checkpoint load(String name) {
        String dir = RunDirectory.CHECKPOINTS + "/" + name;
        ObjectNode json;
        try {
            json = (ObjectNode) JSON.readTree(run.readString(dir + "/state.json"));
        } catch (IOException | RuntimeException e) {
            throw new CorruptCheckpointException("state.json unreadable: " + e.getMessage());
        }
        String expected = json.path("modelSha256").asText("");
        long expectedBytes = json.path("modelBytes").asLong(-1);
        try {
            long actualBytes = run.fileSystem().getFileStatus(run.path(dir + "/" + RunDirectory.MODEL)).getLen();
            if (actualBytes != expectedBytes) {
                throw new CorruptCheckpointException("model.zip has " + actualBytes + " bytes, expected "
                        + expectedBytes + " (truncated)");
            }
            MessageDigest sha = sha256();
            try (InputStream in = new DigestInputStream(run.openInput(dir + "/" + RunDirectory.MODEL), sha)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(expected)) {
                throw new CorruptCheckpointException("model.zip checksum " + actual + " does not match " + expected);
            }
            ComputationGraph graph;
            try (InputStream in = run.openInput(dir + "/" + RunDirectory.MODEL)) {
                graph = ModelSerializer.restoreComputationGraph(in, true);
            }
            json.remove("modelSha256");
            json.remove("modelBytes");
            TrainingState state = JSON.treeToValue(json, TrainingState.class);
            return new Checkpoint(name, graph, state);
        } catch (IOException e) {
            throw new CorruptCheckpointException(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void prune() {
        List<String> names = names();
        for (int i = keep; i < names.size(); i++) {
            run.delete(RunDirectory.CHECKPOINTS + "/" + names.get(i));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A checkpoint that fails verification. */
    public static final class CorruptCheckpointException extends RuntimeException {
        CorruptCheckpointException(String message) {
            super(message);
        }
    }

    /** Digests and counts what passes through, without closing the underlying stream twice. */
    private static final class CountingDigestStream extends DigestOutputStream {
        long count;

        CountingDigestStream(OutputStream out, MessageDigest digest) {
            super(out, digest);
        }

        @Override
        public void write(int b) throws IOException {
            super.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            super.write(b, off, len);
            count += len;
        }
    }
}
