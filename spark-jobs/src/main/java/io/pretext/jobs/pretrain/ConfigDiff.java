package io.pretext.jobs.pretrain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Names the lines that differ between two resolved configs, for resume errors. */
final class ConfigDiff {

    private ConfigDiff() {
    }

    static String describe(String before, String after) {
        Set<String> a = new LinkedHashSet<>(before.lines().map(String::strip).toList());
        Set<String> b = new LinkedHashSet<>(after.lines().map(String::strip).toList());
        List<String> changes = new ArrayList<>();
        for (String line : b) {
            if (!a.contains(line)) {
                changes.add("now " + line);
            }
        }
        for (String line : a) {
            if (!b.contains(line)) {
                changes.add("was " + line);
            }
        }
        return String.join("; ", changes.subList(0, Math.min(changes.size(), 8)));
    }
}
