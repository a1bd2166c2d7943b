package io.pretext.data.features;

import io.pretext.data.files.ListedFile;
import io.pretext.data.files.VisibleFiles;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The driver-side look at a feature corpus path through the Hadoop {@link FileSystem}: its CSV and
 * Parquet files and, for CSV, the header line of each file. Hidden paths (a segment starting with
 * {@code .} or {@code _}) are left out, as Spark does.
 */
final class FeatureFiles {

    static final String EXPECTED = "expected CSV files *.csv|*.csv.gz|*.tsv|*.tsv.gz with a header row, or Parquet "
            + "files *.parquet";


    final String given;
    final Path root;
    final FileSystem fs;
    final Configuration conf;
    final List<ListedFile> csv = new ArrayList<>();
    final List<ListedFile> parquet = new ArrayList<>();

    private FeatureFiles(String given, Path root, FileSystem fs, Configuration conf) {
        this.given = given;
        this.root = root;
        this.fs = fs;
        this.conf = conf;
    }

    static FeatureFiles list(String given, Configuration conf) {
        if (given == null || given.isBlank()) {
            throw new IllegalArgumentException("feature corpus path is empty (" + EXPECTED + ")");
        }
        try {
            Path path = new Path(given);
            FileSystem fs = path.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("no feature files found under " + given
                        + ": the path does not exist (" + EXPECTED + ")");
            }
            Path root = status.getPath();
            FeatureFiles files = new FeatureFiles(given, root, fs, conf);
            for (ListedFile f : VisibleFiles.under(fs, status)) {
                files.classify(f);
            }
            files.csv.sort(Comparator.comparing(ListedFile::relative));
            files.parquet.sort(Comparator.comparing(ListedFile::relative));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list feature corpus " + given + ": " + e.getMessage(), e);
        }
    }


    private void classify(ListedFile f) {
        String name = f.relative().substring(f.relative().lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".tsv") || name.endsWith(".tsv.gz")) {
            csv.add(f);
        } else if (name.endsWith(".parquet")) {
            parquet.add(f);
        }
    }

    /** The format to read: the configured one, or the only kind of file present. */
    String detectFormat(String configured) {
        List<String> present = new ArrayList<>();
        if (!csv.isEmpty()) {
            present.add("csv");
        }
        if (!parquet.isEmpty()) {
            present.add("parquet");
        }
        if (!configured.equals("auto")) {
            if (!present.contains(configured)) {
                throw new IllegalArgumentException("no feature files found under " + given + " for data.format \""
                        + configured + "\"" + (present.isEmpty() ? "" : " (it holds " + present + " files instead)")
                        + " (" + EXPECTED + ")");
            }
            return configured;
        }
        if (present.isEmpty()) {
            throw new IllegalArgumentException("no feature files found under " + given + " (" + EXPECTED + ")");
        }
        if (present.size() > 1) {
            throw new IllegalArgumentException("feature corpus " + given + " holds files of several formats " + present
                    + ": set data.format to one of them (set it in the data: section)");
        }
        return present.get(0);
    }

    /** The first line of a CSV file (decompressed, without a byte-order mark), or {@code null} when it is empty. */
    String firstLine(ListedFile file) {
        Path path = new Path(file.path());
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        try (InputStream raw = fs.open(path);
             InputStream in = codec == null ? raw : codec.createInputStream(raw);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line = reader.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the header of " + file.path() + ": " + e.getMessage(), e);
        }
    }
}
