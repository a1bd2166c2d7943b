package io.pretext.data.dataset;

import java.io.Serializable;
import java.util.List;

/**
 * How the input of {@code pretext preprocess} divides into partitions, the unit that is processed, committed and
 * appended. YAML section {@code input:}.
 *
 * @param partitioning {@code none}: the whole input is one partition (adding files to it later is refused);
 *                     {@code folders}: every first-level sub-folder (e.g. {@code 2024-05-01/} or {@code day=3/}) is
 *                     a partition, read as a corpus of its own, and a new sub-folder is appended on the next run
 */
public record InputConfig(String partitioning) implements Serializable {

    public static final List<String> PARTITIONINGS = List.of("none", "folders");

    public InputConfig {
        if (!PARTITIONINGS.contains(partitioning)) {
            throw new IllegalArgumentException("input.partitioning must be one of " + PARTITIONINGS + ", got \""
                    + partitioning + "\" (set it in the input: section)");
        }
    }

    public static InputConfig defaults() {
        return new InputConfig("none");
    }

    public boolean byFolders() {
        return "folders".equals(partitioning);
    }
}
