package io.pretext.jobs.bert;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Accuracy and F1 of class predictions from their confusion counts. F1 is that of the positive class for two
 * classes (the class rarer in training, e.g. spam) and the unweighted mean over classes (macro F1) for more.
 *
 * @param confusion {@code confusion[truth][predicted]} test documents
 */
record ClassificationScores(long[][] confusion, List<String> classes, int positive) {

    /**
     * @param classes        the class names, in index order
     * @param trainingCounts training documents per class, in index order (decides the positive class)
     */
    static ClassificationScores of(long[][] confusion, List<String> classes, long[] trainingCounts) {
        int positive = 0;
        for (int c = 1; c < trainingCounts.length; c++) {
            if (trainingCounts[c] < trainingCounts[positive]) {
                positive = c;
            }
        }
        return new ClassificationScores(confusion, classes, positive);
    }

    long total() {
        long n = 0;
        for (long[] row : confusion) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    double accuracy() {
        long correct = 0;
        for (int c = 0; c < confusion.length; c++) {
            correct += confusion[c][c];
        }
        long n = total();
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    /** F1 of one class: 2 TP / (2 TP + FP + FN), 0 when the class is neither present nor predicted. */
    double f1(int c) {
        long tp = confusion[c][c];
        long fp = 0;
        long fn = 0;
        for (int o = 0; o < confusion.length; o++) {
            if (o != c) {
                fp += confusion[o][c];
                fn += confusion[c][o];
            }
        }
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0 : 2.0 * tp / denominator;
    }

    /** The positive class's F1 for two classes, macro F1 for more. */
    double f1() {
        if (confusion.length == 2) {
            return f1(positive);
        }
        double sum = 0;
        for (int c = 0; c < confusion.length; c++) {
            sum += f1(c);
        }
        return sum / confusion.length;
    }

    /** How {@link #f1()} is defined here, for the JSON. */
    String f1Definition() {
        return confusion.length == 2 ? "the positive class " + classes.get(positive) + " (the rarer in training)"
                : "all " + confusion.length + " classes, unweighted mean (macro F1)";
    }

    /** Writes {@code <prefix>Accuracy} and {@code <prefix>F1} (or {@code accuracy}, {@code f1} without prefix). */
    void put(ObjectNode node, String prefix) {
        node.put(prefix.isEmpty() ? "accuracy" : prefix + "Accuracy", accuracy());
        node.put(prefix.isEmpty() ? "f1" : prefix + "F1", f1());
    }
}
