package io.pretext.zoo.loss;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR (Chen et al. 2020).
 *
 * <p>The input is the projection output of a batch of {@code 2N} rows, where row {@code i} and
 * row {@code i + N} ({@code i < N}) are the two augmented views of example {@code i}. With
 * {@code sim(u, v) = u.v / (|u| |v|)} and temperature {@code tau}, the loss of row {@code i}
 * whose partner is {@code p(i)} is
 *
 * <pre>
 *   l(i) = -sim(z_i, z_p(i)) / tau + log( sum_{k != i} exp(sim(z_i, z_k) / tau) )
 * </pre>
 *
 * so each row has one positive and {@code 2N - 2} negatives in the denominator next to it.
 * {@link #computeScore} with {@code average = true} is the mean of {@code l} over the {@code 2N}
 * rows; with {@code average = false} it is the sum, which a DL4J output layer divides by the
 * minibatch size, so the network score is the mean as well. {@link #computeGradient} is the
 * gradient of the sum, as for every DL4J loss.
 *
 * <p>{@code N} comes from the shape of the array, never from a configured batch size. With
 * {@code N = 1} the only candidate is the positive, so the loss is 0 whatever the input.
 *
 * <p><b>Labels.</b> The loss has no targets: the labels array is not read, but DL4J needs one
 * per output, and it must have one row per projection row, e.g. zeros of shape {@code [2N, 1]}.
 * Label masks are rejected (masking a row would break its pair).
 *
 * <p><b>Caching.</b> DL4J calls {@code computeGradient} and {@code computeScore} separately in
 * one training step, each on a freshly computed (but bit-identical) pre-output array. The last
 * forward/backward result is kept per thread, keyed on the exact bits, shape and data type of the
 * pre-output and on the activation function; any other input is computed afresh. The cached
 * arrays live outside every workspace and callers always receive copies.
 */
public final class NtXentLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /** Default temperature, as in SimCLR's CIFAR-10 experiments. */
    public static final double DEFAULT_TEMPERATURE = 0.5;

    /** Lower bound on a row norm before dividing by it (as in PyTorch's cosine similarity). */
    private static final double NORM_EPS = 1e-8;

    @JsonProperty("temperature")
    private final double temperature;

    /**
     * Last result per thread. Weak keys: an entry goes with its thread, and all go with this
     * object (a thread-local would keep them as long as the thread lives).
     */
    @JsonIgnore
    private final transient Map<Thread, Forward> lastForward = Collections.synchronizedMap(new WeakHashMap<>());

    /** NT-Xent with the default temperature {@value #DEFAULT_TEMPERATURE}. */
    public NtXentLoss() {
        this(DEFAULT_TEMPERATURE);
    }

    /**
     * @param temperature the softmax temperature {@code tau}, {@code > 0}
     */
    @JsonCreator
    public NtXentLoss(@JsonProperty("temperature") double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("NT-Xent temperature must be a finite number > 0, got "
                    + temperature + " (set model.temperature, e.g. 0.5)");
        }
        this.temperature = temperature;
    }

    public double getTemperature() {
        return temperature;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        INDArray scores = forward(labels, preOutput, activationFn, mask).scores;
        double sum = scores.sumNumber().doubleValue();
        return average ? sum / scores.size(0) : sum;
    }

    /** Per-row losses {@code l(i)}, shape {@code [2N, 1]}. */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return forward(labels, preOutput, activationFn, mask).scores.dup();
    }

    /** Gradient of the summed loss with respect to {@code preOutput}, shape {@code [2N, dim]}. */
    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return forward(labels, preOutput, activationFn, mask).gradient.dup();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        Forward f = forward(labels, preOutput, activationFn, mask);
        double sum = f.scores.sumNumber().doubleValue();
        return new Pair<>(average ? sum / f.scores.size(0) : sum, f.gradient.dup());
    }

    @Override
    public String name() {
        return "ntxent";
    }

    /** Number of forward/backward computations done on the calling thread (cache misses). */
    long computationsOnThisThread() {
        Forward f = lastForward.get(Thread.currentThread());
        return f == null ? 0 : f.computations;
    }

    private Forward forward(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkInputs(labels, preOutput, mask);
        Object key = contents(preOutput);
        Forward last = lastForward.get(Thread.currentThread());
        if (last != null && last.matches(preOutput, activationFn, key)) {
            return last;
        }
        Forward f;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            f = compute(preOutput, activationFn, key, last == null ? 1 : last.computations + 1);
        }
        lastForward.put(Thread.currentThread(), f);
        return f;
    }

    private Forward compute(INDArray preOutput, IActivation activationFn, Object key, long computations) {
        DataType dt = preOutput.dataType();
        long rows = preOutput.size(0);
        long n = rows / 2;
        double tau = temperature;

        INDArray z = activationFn.getActivation(preOutput.dup(), true);          // [2N, dim]
        INDArray norms = z.norm2(true, 1);                                       // [2N, 1]
        INDArray safeNorms = Transforms.max(norms, NORM_EPS, true);              // [2N, 1]
        INDArray zn = z.divColumnVector(safeNorms);                              // [2N, dim], unit rows
        // partner(i) = (i + N) mod 2N: the two halves swapped
        INDArray partner = Nd4j.concat(0,
                zn.get(NDArrayIndex.interval(n, rows), NDArrayIndex.all()),
                zn.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()));        // [2N, dim]
        INDArray positive = zn.mul(partner).sum(true, 1).divi(tau);              // [2N, 1]

        INDArray logits = zn.mmul(zn.transpose()).divi(tau);                     // [2N, 2N]
        INDArray eye = Nd4j.eye(rows).castTo(dt);                                // [2N, 2N]
        // Push the self-similarity (at most 1/tau) below every other entry (at least -1/tau), so the
        // row maximum is taken over the 2N-1 candidates only; its exp is then zeroed exactly.
        logits.subi(eye.mul(2.0 / tau + 1.0));
        INDArray rowMax = logits.max(true, 1);                                   // [2N, 1]
        INDArray exp = Transforms.exp(logits.subiColumnVector(rowMax), false)
                .muli(eye.rsubi(1.0));                                           // [2N, 2N], zero diagonal
        INDArray expSum = exp.sum(true, 1);                                      // [2N, 1]
        INDArray scores = Transforms.log(expSum, true).addi(rowMax).subi(positive); // [2N, 1]

        // d l / d logits = softmax over k != i minus the one-hot partner; with logits = zn zn^T / tau
        // that gives d L / d zn = ((A + A^T) zn - 2 partner) / tau, A the row softmax.
        INDArray softmax = exp.diviColumnVector(expSum);                         // [2N, 2N]
        INDArray gradUnit = softmax.add(softmax.transpose()).mmul(zn)
                .subi(partner.muli(2.0)).divi(tau);                              // [2N, dim]
        // Through zn = z / max(|z|, eps): (g - zn (zn . g)) / |z| where |z| >= eps, g / eps elsewhere.
        INDArray radial = zn.mul(gradUnit).sum(true, 1)
                .muli(norms.gte(NORM_EPS).castTo(dt));                           // [2N, 1]
        INDArray gradZ = gradUnit.subi(zn.mulColumnVector(radial)).diviColumnVector(safeNorms); // [2N, dim]
        INDArray gradient = activationFn.backprop(preOutput.dup(), gradZ).getFirst(); // [2N, dim]

        return new Forward(key, preOutput.shape(), dt, activationFn, scores.detach(), gradient.detach(),
                computations);
    }

    private static void checkInputs(INDArray labels, INDArray preOutput, INDArray mask) {
        if (preOutput.rank() != 2) {
            throw new IllegalArgumentException("NT-Xent expects the projection output as a 2-d array [2N, dim], "
                    + "got shape " + Arrays.toString(preOutput.shape()));
        }
        long rows = preOutput.size(0);
        if (rows < 2 || rows % 2 != 0) {
            throw new IllegalArgumentException("NT-Xent needs an even number of rows >= 2 (rows i and i+N are the "
                    + "two views of example i), got " + rows + " rows; keep both views of every example in "
                    + "one minibatch");
        }
        if (labels == null || labels.rank() < 1 || labels.size(0) != rows) {
            throw new IllegalArgumentException("NT-Xent labels must have one row per projection row, i.e. shape ["
                    + rows + ", 1] (content is ignored), got "
                    + (labels == null ? "null" : Arrays.toString(labels.shape())));
        }
        if (mask != null) {
            throw new IllegalArgumentException("NT-Xent does not support a labels mask (masking one view would "
                    + "break its pair), got mask of shape " + Arrays.toString(mask.shape()));
        }
    }

    /** Exact contents of {@code array} as a Java array: the cache key. */
    private static Object contents(INDArray array) {
        INDArray flat = array.dup('c');
        return array.dataType() == DataType.DOUBLE ? flat.data().asDouble() : flat.data().asFloat();
    }

    private Object readResolve() {
        // the cache is transient: rebuild it after Java deserialisation
        return new NtXentLoss(temperature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NtXentLoss other && Double.compare(temperature, other.temperature) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(NtXentLoss.class, temperature);
    }

    @Override
    public String toString() {
        return "NtXentLoss(temperature=" + temperature + ")";
    }

    /** The result of one forward/backward computation, with the exact input it belongs to. */
    private static final class Forward {
        final Object key;
        final long[] shape;
        final DataType dataType;
        final IActivation activation;
        final INDArray scores;   // [2N, 1]
        final INDArray gradient; // [2N, dim]
        final long computations;

        Forward(Object key, long[] shape, DataType dataType, IActivation activation, INDArray scores,
                INDArray gradient, long computations) {
            this.key = key;
            this.shape = shape;
            this.dataType = dataType;
            this.activation = activation;
            this.scores = scores;
            this.gradient = gradient;
            this.computations = computations;
        }

        boolean matches(INDArray preOutput, IActivation activationFn, Object otherKey) {
            return dataType == preOutput.dataType()
                    && Arrays.equals(shape, preOutput.shape())
                    && activation.equals(activationFn)
                    && sameContents(key, otherKey);
        }

        private static boolean sameContents(Object a, Object b) {
            if (a instanceof double[] da && b instanceof double[] db) {
                return Arrays.equals(da, db);
            }
            return a instanceof float[] fa && b instanceof float[] fb && Arrays.equals(fa, fb);
        }
    }
}
