package io.pretext.jobs.eval;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * k-nearest-neighbour probe: cosine similarity between L2-normalised features; each test image takes the
 * majority label of its k most similar training images (ties go to the label with the larger summed
 * similarity). The training features are broadcast; test features are scored in blocks in the executors.
 */
public final class KnnProbe {

    private KnnProbe() {
    }

    /** @return test accuracy in [0, 1] */
    public static double accuracy(JavaSparkContext sc, JavaRDD<FeatureExtractor.Features> train,
                                  JavaRDD<FeatureExtractor.Features> test, List<String> classes, EvalConfig config) {
        Map<String, Integer> index = Labels.index(classes);
        List<FeatureExtractor.Features> reference = train.collect();
        if (reference.isEmpty()) {
            throw new IllegalArgumentException("kNN probe: the training set has no labelled images");
        }
        int dim = reference.get(0).vector().length;
        float[] matrix = new float[reference.size() * dim];
        int[] labels = new int[reference.size()];
        for (int i = 0; i < reference.size(); i++) {
            float[] v = normalised(reference.get(i).vector());
            System.arraycopy(v, 0, matrix, i * dim, dim);
            Integer label = index.get(reference.get(i).label());
            labels[i] = label == null ? -1 : label;
        }
        Broadcast<float[]> refs = sc.broadcast(matrix);
        Broadcast<int[]> refLabels = sc.broadcast(labels);
        int k = Math.min(config.knnK(), reference.size());
        int classCount = classes.size();
        int block = config.batchSize();
        try {
            long[] counts = test.mapPartitions((Iterator<FeatureExtractor.Features> it) -> {
                INDArray r = Nd4j.create(refs.value(), new long[]{refLabels.value().length, dim}); // [nTrain, dim]
                long correct = 0;
                long total = 0;
                List<FeatureExtractor.Features> rows = new ArrayList<>(block);
                while (it.hasNext()) {
                    rows.add(it.next());
                    if (rows.size() == block || !it.hasNext()) {
                        float[] q = new float[rows.size() * dim];
                        for (int i = 0; i < rows.size(); i++) {
                            System.arraycopy(normalised(rows.get(i).vector()), 0, q, i * dim, dim);
                        }
                        INDArray sims = Nd4j.create(q, new long[]{rows.size(), dim}).mmul(r.transpose());
                        float[][] s = sims.toFloatMatrix(); // [block, nTrain]
                        for (int i = 0; i < rows.size(); i++) {
                            int predicted = vote(s[i], refLabels.value(), k, classCount);
                            Integer truth = index.get(rows.get(i).label());
                            if (truth != null && truth == predicted) {
                                correct++;
                            }
                            total++;
                        }
                        rows.clear();
                    }
                }
                return List.of(new long[]{correct, total}).iterator();
            }).reduce((a, b) -> new long[]{a[0] + b[0], a[1] + b[1]});
            return counts[1] == 0 ? Double.NaN : (double) counts[0] / counts[1];
        } finally {
            refs.destroy(false);
            refLabels.destroy(false);
        }
    }

    /** The majority label among the k most similar references. */
    static int vote(float[] similarities, int[] labels, int k, int classCount) {
        int[] top = topK(similarities, k);
        int[] votes = new int[classCount];
        double[] weight = new double[classCount];
        for (int j : top) {
            if (labels[j] >= 0) {
                votes[labels[j]]++;
                weight[labels[j]] += similarities[j];
            }
        }
        int best = 0;
        for (int c = 1; c < classCount; c++) {
            if (votes[c] > votes[best] || (votes[c] == votes[best] && weight[c] > weight[best])) {
                best = c;
            }
        }
        return best;
    }

    /** Indices of the k largest values (a bounded min-heap; order within the result unspecified). */
    static int[] topK(float[] values, int k) {
        int[] heap = new int[k];
        int size = 0;
        for (int i = 0; i < values.length; i++) {
            if (size < k) {
                heap[size] = i;
                int c = size++;
                while (c > 0 && values[heap[(c - 1) / 2]] > values[heap[c]]) {
                    swap(heap, c, (c - 1) / 2);
                    c = (c - 1) / 2;
                }
            } else if (values[i] > values[heap[0]]) {
                heap[0] = i;
                int c = 0;
                while (true) {
                    int l = 2 * c + 1;
                    int rr = l + 1;
                    int m = c;
                    if (l < k && values[heap[l]] < values[heap[m]]) {
                        m = l;
                    }
                    if (rr < k && values[heap[rr]] < values[heap[m]]) {
                        m = rr;
                    }
                    if (m == c) {
                        break;
                    }
                    swap(heap, c, m);
                    c = m;
                }
            }
        }
        return java.util.Arrays.copyOf(heap, size);
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * scale;
        }
        return out;
    }
}
