package io.pretext.jobs.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Class names to dense indices, in the sorted order the corpus reports them. */
final class Labels {

    private Labels() {
    }

    static Map<String, Integer> index(List<String> classes) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        return index;
    }
}
