package io.pretext.jobs.storage;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A run directory on any Hadoop file system. Every file that a reader may pick up (config, model, checkpoint,
 * summary) is written to a temporary name and renamed into place, so a crash never leaves a partial file under
 * a final name.
 *
 * <pre>
 * RUN_DIR/config.yaml  manifest.json  metrics.jsonl  rejected.jsonl  summary.json
 *         checkpoints/step-000000120/{model.zip,state.json}  model.zip  encoder.zip  eval/*.json
 *         report.html  report/{run.json,sections.json,*.png}
 * </pre>
 */
public final class RunDirectory {

    public static final String CONFIG = "config.yaml";
    public static final String MANIFEST = "manifest.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String REJECTED = "rejected.jsonl";
    public static final String SUMMARY = "summary.json";
    public static final String MODEL = "model.zip";
    public static final String ENCODER = "encoder.zip";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String EVAL = "eval";

    private final Path root;
    private final FileSystem fs;

    private RunDirectory(Path root, FileSystem fs) {
        this.root = root;
        this.fs = fs;
    }

    /**
     * Opens a run directory for writing: creates it and proves it writable with a probe file, so that an
     * unwritable location or an unreachable file system fails before any training starts.
     */
    public static RunDirectory create(String location) {
        Path root = HadoopPaths.of(location);
        FileSystem fs;
        try {
            fs = HadoopPaths.fileSystem(root);
            root = fs.makeQualified(root);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot reach the file system of --out " + location + ": "
                    + rootCause(e) + " (check the URI and that the file system is up)", e);
        }
        try {
            if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
                throw new IllegalArgumentException("--out " + location + " is a file; it must be a directory");
            }
            fs.mkdirs(root);
            Path probe = new Path(root, ".write-probe-" + UUID.randomUUID());
            try (OutputStream out = fs.create(probe, true)) {
                out.write(1);
            }
            fs.delete(probe, false);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("--out " + location + " is not writable: " + rootCause(e)
                    + " (choose a directory you can write to)", e);
        }
        return new RunDirectory(root, fs);
    }

    /** Opens an existing run directory for reading (evaluation, resume, reports). */
    public static RunDirectory open(String location) {
        Path root = HadoopPaths.of(location);
        try {
            FileSystem fs = HadoopPaths.fileSystem(root);
            root = fs.makeQualified(root);
            if (!fs.exists(root)) {
                throw new IllegalArgumentException("run directory " + location + " does not exist");
            }
            return new RunDirectory(root, fs);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open run directory " + location + ": " + rootCause(e), e);
        }
    }

    public Path root() {
        return root;
    }

    public FileSystem fileSystem() {
        return fs;
    }

    public Path path(String relative) {
        return new Path(root, relative);
    }

    public boolean exists(String relative) {
        try {
            return fs.exists(path(relative));
        } catch (IOException e) {
            throw new UncheckedStorageException("cannot check " + path(relative), e);
        }
    }

    /** Writes {@code relative} through a temporary sibling and renames it into place. */
    public void writeAtomically(String relative, StreamWriter writer) {
        Path target = path(relative);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            fs.mkdirs(target.getParent());
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                writer.write(out);
                out.hsync();
            }
            replace(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedStorageException("cannot write " + target, e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    public void writeString(String relative, String content) {
        writeAtomically(relative, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    public String readString(String relative) {
        try (InputStream in = fs.open(path(relative))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedStorageException("cannot read " + path(relative), e);
        }
    }

    public byte[] readBytes(String relative) {
        try (InputStream in = fs.open(path(relative))) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedStorageException("cannot read " + path(relative), e);
        }
    }

    public InputStream openInput(String relative) throws IOException {
        return fs.open(path(relative));
    }

    /** Renames {@code from} onto {@code to}, replacing an existing file or directory. */
    void replace(Path from, Path to) throws IOException {
        if (fs.exists(to)) {
            fs.delete(to, true);
        }
        if (!fs.rename(from, to)) {
            throw new IOException("rename " + from + " -> " + to + " failed");
        }
    }

    public List<FileStatus> list(String relative) {
        try {
            Path dir = path(relative);
            if (!fs.exists(dir)) {
                return List.of();
            }
            return new ArrayList<>(List.of(fs.listStatus(dir)));
        } catch (IOException e) {
            throw new UncheckedStorageException("cannot list " + path(relative), e);
        }
    }

    public void delete(String relative) {
        try {
            fs.delete(path(relative), true);
        } catch (IOException e) {
            throw new UncheckedStorageException("cannot delete " + path(relative), e);
        }
    }

    void deleteQuietly(Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException ignored) {
            // best effort: a stray temporary name is never read
        }
    }

    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @Override
    public String toString() {
        return root.toString();
    }

    /** Writes the content of one file. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }
}
