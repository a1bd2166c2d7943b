package io.pretext.jobs.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.File;

/** Paths given by users: Hadoop URIs ({@code file://}, {@code hdfs://}, {@code s3a://}) or plain local paths. */
public final class HadoopPaths {

    private static volatile Configuration configuration = new Configuration();

    private HadoopPaths() {
    }

    /** The Hadoop configuration used by the driver; set from the Spark context once it exists. */
    public static void useConfiguration(Configuration conf) {
        configuration = conf;
    }

    public static Configuration configuration() {
        return configuration;
    }

    /** A plain local path becomes an absolute {@code file:} URI; URIs are kept as given. */
    public static Path of(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("a path is required");
        }
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
            return new Path(location);
        }
        return new Path(new File(location).getAbsoluteFile().toURI());
    }

    /** The file system of a path; local file systems write no {@code .crc} side files. */
    public static FileSystem fileSystem(Path path) throws IOException {
        FileSystem fs = path.getFileSystem(configuration);
        if (fs instanceof LocalFileSystem) {
            fs.setWriteChecksum(false);
        }
        return fs;
    }

    /**
     * Fails with a clear message when an input path does not exist or its file system cannot be reached.
     *
     * @param option the command-line option that named the path, for the message
     */
    public static void requireExists(String location, String option) {
        Path path = of(location);
        try {
            if (!fileSystem(path).exists(path)) {
                throw new IllegalArgumentException(option + " " + location + " does not exist");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("cannot reach the file system of " + option + " " + location + ": "
                    + e.getMessage() + " (check the URI and that the file system is up)", e);
        }
    }

    /** The fully qualified form of a user path, as written into configs and logs. */
    public static String qualified(String location) {
        Path path = of(location);
        try {
            return fileSystem(path).makeQualified(path).toString();
        } catch (IOException e) {
            return path.toString();
        }
    }
}
