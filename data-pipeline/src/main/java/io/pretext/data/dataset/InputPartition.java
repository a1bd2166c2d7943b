package io.pretext.data.dataset;

import io.pretext.data.files.ListedFile;
import io.pretext.data.files.VisibleFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One partition of a preprocessing input as listed on the driver: the unit that is processed, committed and never
 * redone.
 *
 * <p>Two listings of a partition are the same input when their {@link #fingerprint}s are equal: the SHA-256 of every
 * non-hidden file under it (hidden: any path segment starting with {@code .} or {@code _}), one line per file in
 * path order, {@code relative path TAB length TAB modification time in ms}. File contents are not read: renaming,
 * adding, removing, growing or touching a file changes the fingerprint, an edit that keeps both size and modification
 * time does not.
 *
 * @param name        {@code .} for the whole input, else the first-level sub-folder's name
 * @param path        the partition's location (a Hadoop URI)
 * @param files       non-hidden files under it
 * @param bytes       their total length
 * @param fingerprint hex SHA-256 of the file listing, as above
 */
public record InputPartition(String name, String path, long files, long bytes, String fingerprint) {

    /** The name of the single partition of an input that is not partitioned by folders. */
    public static final String WHOLE_INPUT = ".";

    /**
     * Lists {@code input} (a Hadoop URI or local path) into partitions, sorted by name.
     *
     * @throws IllegalArgumentException when the input does not exist, holds no files, or is partitioned by folders
     *                                  but holds files beside its sub-folders
     */
    public static List<InputPartition> list(String input, InputConfig config, Configuration conf) {
        try {
            Path root = new Path(input);
            FileSystem fs = root.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(root);
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("--data " + input + " does not exist");
            }
            root = status.getPath();
            List<InputPartition> out = new ArrayList<>();
            if (!config.byFolders() || status.isFile()) {
                if (config.byFolders()) {
                    throw new IllegalArgumentException("input.partitioning is folders but --data " + input
                            + " is a file (point --data at the folder holding one sub-folder per partition, or set "
                            + "input.partitioning=none in the input: section)");
                }
                out.add(describe(fs, WHOLE_INPUT, status));
            } else {
                List<String> loose = new ArrayList<>();
                for (FileStatus child : fs.listStatus(root)) {
                    String name = child.getPath().getName();
                    if (VisibleFiles.isHidden(name)) {
                        continue;
                    }
                    if (child.isDirectory()) {
                        out.add(describe(fs, name, child));
                    } else {
                        loose.add(name);
                    }
                }
                if (!loose.isEmpty()) {
                    throw new IllegalArgumentException("input.partitioning is folders but --data " + input
                            + " holds files outside sub-folders " + loose.subList(0, Math.min(5, loose.size()))
                            + " (move them into a partition folder, or set input.partitioning=none in the input: "
                            + "section)");
                }
                out.sort(Comparator.comparing(InputPartition::name));
            }
            if (out.stream().allMatch(p -> p.files() == 0)) {
                throw new IllegalArgumentException("--data " + input + " holds no files");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list --data " + input + ": " + e.getMessage(), e);
        }
    }

    private static InputPartition describe(FileSystem fs, String name, FileStatus top) throws IOException {
        List<String> lines = new ArrayList<>();
        long bytes = 0;
        for (ListedFile f : VisibleFiles.under(fs, top)) {
            lines.add(f.relative() + "\t" + f.size() + "\t" + f.modified() + "\n");
            bytes += f.size();
        }
        lines.sort(Comparator.naturalOrder());
        MessageDigest sha = Hashing.sha256();
        for (String l : lines) {
            sha.update(l.getBytes(StandardCharsets.UTF_8));
        }
        return new InputPartition(name, top.getPath().toString(), lines.size(), bytes, Hashing.hex(sha.digest()));
    }

}
