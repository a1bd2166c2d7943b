package io.pretext.data.image;

import io.pretext.data.files.ListedFile;
import io.pretext.data.files.VisibleFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The driver-side look at a corpus path through the Hadoop {@link FileSystem}: which files it holds
 * and which format they are. Lists metadata only; no file is opened here except IDX headers.
 */
final class CorpusFiles {

    /** Extensions of files read as encoded images; WebP and HEIF are listed so that they are reported, not ignored. */
    static final Set<String> IMAGE_EXTENSIONS =
            Set.of("png", "jpg", "jpeg", "jpe", "jfif", "gif", "bmp", "tif", "tiff", "webp", "heic", "heif", "avif");
    static final String EXPECTED = "expected image files *.png|*.jpg|*.jpeg|*.gif|*.bmp|*.tif|*.tiff, "
            + "one sub-folder per class optional, Parquet with a binary column, or IDX files *-images-idx3-ubyte[.gz]";


    final String given;
    final Path root;
    final FileSystem fs;
    final boolean isFile;
    final List<ListedFile> images = new ArrayList<>();
    final List<ListedFile> parquet = new ArrayList<>();
    final List<ListedFile> idxImages = new ArrayList<>();

    private CorpusFiles(String given, Path root, FileSystem fs, boolean isFile) {
        this.given = given;
        this.root = root;
        this.fs = fs;
        this.isFile = isFile;
    }

    static CorpusFiles list(String given, Configuration conf) {
        if (given == null || given.isBlank()) {
            throw new IllegalArgumentException("image corpus path is empty (" + EXPECTED + ")");
        }
        try {
            Path path = new Path(given);
            FileSystem fs = path.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("no images found under " + given + ": the path does not exist ("
                        + EXPECTED + ")");
            }
            Path root = status.getPath();
            CorpusFiles files = new CorpusFiles(given, root, fs, status.isFile());
            for (ListedFile f : VisibleFiles.under(fs, status)) {
                files.classify(f);
            }
            Comparator<ListedFile> byRelative = Comparator.comparing(ListedFile::relative);
            files.images.sort(byRelative);
            files.parquet.sort(byRelative);
            files.idxImages.sort(byRelative);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list image corpus " + given + ": " + e.getMessage(), e);
        }
    }


    private void classify(ListedFile f) {
        String name = f.relative().substring(f.relative().lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        if (IMAGE_EXTENSIONS.contains(ext)) {
            images.add(f);
        } else if (ext.equals("parquet")) {
            parquet.add(f);
        } else if (name.endsWith("-images-idx3-ubyte") || name.endsWith("-images-idx3-ubyte.gz")
                || name.endsWith("-images.idx3-ubyte")) {
            idxImages.add(f);
        }
    }

    /** The format to read: the configured one, or the only kind of candidate file present. */
    String detectFormat(String configured) {
        List<String> present = new ArrayList<>();
        if (!images.isEmpty()) {
            present.add("folder");
        }
        if (!parquet.isEmpty()) {
            present.add("parquet");
        }
        if (!idxImages.isEmpty()) {
            present.add("idx");
        }
        if (!configured.equals("auto")) {
            if (!present.contains(configured)) {
                throw new IllegalArgumentException("no images found under " + given + " for data.format \"" + configured
                        + "\"" + (present.isEmpty() ? "" : " (it holds " + present + " candidates instead)") + " ("
                        + EXPECTED + ")");
            }
            return configured;
        }
        if (present.isEmpty()) {
            throw new IllegalArgumentException("no images found under " + given + " (" + EXPECTED + ")");
        }
        if (present.size() > 1) {
            throw new IllegalArgumentException("image corpus " + given + " holds candidates of several formats "
                    + present + ": set data.format to one of them (set it in the data: section)");
        }
        return present.get(0);
    }
}
