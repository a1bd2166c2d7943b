package io.pretext.zoo.autoencoder;

import java.io.Serializable;

/**
 * The weight of the KL term of a variational autoencoder as a function of the optimizer step
 * (Bowman et al. 2016's KL annealing, ending at the beta-VAE weight of Higgins et al. 2017):
 *
 * <pre>
 *   weight(t) = beta * min(1, t / warmupSteps)     (warmupSteps > 0)
 *   weight(t) = beta                               (warmupSteps = 0)
 * </pre>
 *
 * {@code t} is the graph's iteration count when the step's loss is computed: the number of optimizer
 * steps done before it, so the first step ({@code t = 0}) trains the reconstruction alone. On Spark the
 * parameter-averaging engine sets the iteration count to the global step before every round, so the
 * warm-up counts in the same unit as the learning-rate warm-up ({@code optimizer.warmupSteps}).
 *
 * @param beta        the weight after the warm-up, finite and {@code > 0}
 * @param warmupSteps optimizer steps of the linear ramp from 0, {@code >= 0}
 */
public record KlWarmup(double beta, long warmupSteps) implements Serializable {

    public KlWarmup {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("model.beta must be a finite number > 0, got " + beta
                    + " (set it in the model: section, e.g. 1.0)");
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("model.klWarmupSteps must be >= 0, got " + warmupSteps
                    + " (set it in the model: section; 0 = full weight from the first step)");
        }
    }

    /** The KL weight at optimizer step (iteration) {@code iteration >= 0}. */
    public double weightAt(long iteration) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        if (warmupSteps == 0 || iteration >= warmupSteps) {
            return beta;
        }
        return beta * iteration / warmupSteps;
    }
}
