package io.pretext.data.text;

import io.pretext.data.files.ListedFile;
import io.pretext.data.files.VisibleFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * The driver-side look at a text corpus path through the Hadoop {@link FileSystem}: its files, sorted,
 * hidden ones ({@code .x}, {@code _x} at any level, e.g. {@code _SUCCESS}, {@code .crc}) left out, and
 * which format they are. Lists metadata only.
 */
final class TextFiles {

    static final String EXPECTED = "expected plain-text files (one document each, one sub-folder per label "
            + "optional), JSONL files *.jsonl|*.ndjson[.gz], or Parquet files *.parquet";


    final String given;
    final Path root;
    final boolean isFile;
    final List<ListedFile> parquet = new ArrayList<>();
    final List<ListedFile> jsonl = new ArrayList<>();
    final List<ListedFile> other = new ArrayList<>();

    private TextFiles(String given, Path root, boolean isFile) {
        this.given = given;
        this.root = root;
        this.isFile = isFile;
    }

    static TextFiles list(String given, Configuration conf) {
        if (given == null || given.isBlank()) {
            throw new IllegalArgumentException("text corpus path is empty (" + EXPECTED + ")");
        }
        try {
            Path path = new Path(given);
            FileSystem fs = path.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("no text found under " + given + ": the path does not exist ("
                        + EXPECTED + ")");
            }
            Path root = status.getPath();
            TextFiles files = new TextFiles(given, root, status.isFile());
            for (ListedFile f : VisibleFiles.under(fs, status)) {
                files.classify(f);
            }
            Comparator<ListedFile> byRelative = Comparator.comparing(ListedFile::relative);
            files.parquet.sort(byRelative);
            files.jsonl.sort(byRelative);
            files.other.sort(byRelative);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list text corpus " + given + ": " + e.getMessage(), e);
        }
    }



    private void classify(ListedFile f) {
        String name = f.relative().substring(f.relative().lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet")) {
            parquet.add(f);
        } else if (name.matches(".*\\.(jsonl|ndjson)(\\.gz|\\.bz2|\\.deflate)?")) {
            jsonl.add(f);
        } else {
            other.add(f);
        }
    }

    /** All files, whatever their kind (the folder format reads every one as a document). */
    List<ListedFile> all() {
        List<ListedFile> out = new ArrayList<>(parquet);
        out.addAll(jsonl);
        out.addAll(other);
        out.sort(Comparator.comparing(ListedFile::relative));
        return out;
    }

    /**
     * The format to read: the configured one, or under {@code auto} Parquet when there are Parquet files,
     * JSONL when there are JSONL files, else a folder of plain-text files.
     */
    String detectFormat(String configured) {
        switch (configured) {
            case "parquet", "jsonl" -> {
                if ((configured.equals("parquet") ? parquet : jsonl).isEmpty()) {
                    throw new IllegalArgumentException("no " + configured + " files under " + given
                            + " for data.format \"" + configured + "\" (" + EXPECTED + ")");
                }
                return configured;
            }
            case "folder" -> {
                if (all().isEmpty()) {
                    throw new IllegalArgumentException("no text found under " + given + " (" + EXPECTED + ")");
                }
                return configured;
            }
            default -> {
                if (!parquet.isEmpty() && !jsonl.isEmpty()) {
                    throw new IllegalArgumentException("text corpus " + given + " holds both Parquet and JSONL files: "
                            + "set data.format to parquet or jsonl (set it in the data: section)");
                }
                if (!parquet.isEmpty()) {
                    return "parquet";
                }
                if (!jsonl.isEmpty()) {
                    return "jsonl";
                }
                if (other.isEmpty()) {
                    throw new IllegalArgumentException("no text found under " + given + " (" + EXPECTED + ")");
                }
                return "folder";
            }
        }
    }

    /** Opens a file, decompressing by extension (.gz, .bz2, .deflate). */
    static InputStream open(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        InputStream raw = fs.open(path);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        return codec == null ? raw : codec.createInputStream(raw);
    }

    static boolean isCompressed(Path path, Configuration conf) {
        return new CompressionCodecFactory(conf).getCodec(path) != null;
    }
}
