package io.pretext.data.files;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The files of a corpus path as Spark would read them: recursively, leaving out hidden paths (a segment
 * starting with {@code .} or {@code _}). Metadata only; no file is opened.
 */
public final class VisibleFiles {

    private VisibleFiles() {
    }

    /**
     * The visible files under {@code root}, or {@code root} itself when it is a file, in listing order. Lists
     * with {@code listStatus} per folder: {@code listFiles(recursive)} asks the local file system for permissions,
     * which starts a process per file there.
     */
    public static List<ListedFile> under(FileSystem fs, FileStatus root) throws IOException {
        List<ListedFile> out = new ArrayList<>();
        if (root.isFile()) {
            out.add(listed(root, root.getPath().getName()));
            return out;
        }
        String rootPath = root.getPath().toUri().getPath();
        int cut = rootPath.endsWith("/") ? rootPath.length() : rootPath.length() + 1;
        Deque<Path> folders = new ArrayDeque<>(List.of(root.getPath()));
        while (!folders.isEmpty()) {
            for (FileStatus f : fs.listStatus(folders.pop())) {
                String relative = f.getPath().toUri().getPath().substring(cut);
                if (isHidden(relative)) {
                    continue;
                }
                if (f.isDirectory()) {
                    folders.push(f.getPath());
                } else {
                    out.add(listed(f, relative));
                }
            }
        }
        return out;
    }

    /** Hidden by the usual Hadoop/Spark convention: any path segment starting with '.' or '_'. */
    public static boolean isHidden(String relative) {
        for (String segment : relative.split("/")) {
            if (segment.startsWith(".") || segment.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    private static ListedFile listed(FileStatus f, String relative) {
        return new ListedFile(f.getPath().toString(), relative, f.getLen(), f.getModificationTime());
    }
}
