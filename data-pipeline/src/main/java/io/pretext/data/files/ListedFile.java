package io.pretext.data.files;

/**
 * A file found under a corpus root.
 *
 * @param path     full path (Hadoop URI)
 * @param relative path relative to the root; the file's name when the root is the file itself
 * @param size     bytes
 * @param modified modification time, ms since the epoch
 */
public record ListedFile(String path, String relative, long size, long modified) {
}
