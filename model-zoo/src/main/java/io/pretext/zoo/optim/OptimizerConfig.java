package io.pretext.zoo.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The optimiser: updater, learning-rate schedule and weight decay (YAML section {@code optimizer:}).
 *
 * <ul>
 *   <li>{@code type}: {@code "sgd"}, {@code "adam"} or {@code "adamw"}.</li>
 *   <li>{@code learningRate}: the base (peak) learning rate.</li>
 *   <li>{@code momentum}, {@code nesterov}: sgd only. DL4J offers Nesterov momentum only, so
 *       {@code momentum > 0} needs {@code nesterov: true}; {@code momentum: 0} is plain SGD.</li>
 *   <li>{@code weightDecay}: decoupled weight decay (DL4J {@code WeightDecay} with the learning
 *       rate applied): after the updater, every step does {@code w -= lr_t * weightDecay * w} for
 *       the weights of convolution and dense layers; biases and batch-norm parameters are not
 *       decayed. Used by {@code adamw} and {@code sgd}; {@code adam} must keep it 0 (use
 *       {@code adamw}). Put on a graph by {@link #applyWeightDecay}.</li>
 *   <li>{@code warmupSteps}: linear warm-up from 0 to {@code learningRate}, in optimizer steps.</li>
 *   <li>{@code totalSteps}: the last step of the decay; 0 means "not known yet". The trainer sets
 *       it with {@link #withTotalSteps(long)} once the data size is known; a cosine or linear
 *       schedule needs it before {@link #updater()} is called.</li>
 *   <li>{@code finalLearningRateFraction}: the decay ends at {@code learningRate * fraction}.</li>
 *   <li>{@code schedule}: {@code "cosine"}, {@code "linear"} or {@code "constant"} after the
 *       warm-up; see {@link WarmupSchedule}.</li>
 * </ul>
 */
public record OptimizerConfig(String type, double learningRate, double momentum, boolean nesterov,
        double weightDecay, long warmupSteps, long totalSteps, double finalLearningRateFraction, String schedule) {

    public static final List<String> TYPES = List.of("sgd", "adam", "adamw");
    public static final List<String> SCHEDULES = List.of("cosine", "linear", "constant");

    public OptimizerConfig {
        if (type == null || !TYPES.contains(type)) {
            throw new IllegalArgumentException("optimizer.type must be one of " + TYPES + ", got " + quoted(type)
                    + " (set it in the optimizer: section)");
        }
        if (schedule == null || !SCHEDULES.contains(schedule)) {
            throw new IllegalArgumentException("optimizer.schedule must be one of " + SCHEDULES + ", got "
                    + quoted(schedule) + " (set it in the optimizer: section)");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("optimizer.learningRate must be a finite number > 0, got "
                    + learningRate + " (set it in the optimizer: section, e.g. 1e-3 for adam)");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("optimizer.momentum must be in [0, 1), got " + momentum
                    + " (set it in the optimizer: section, e.g. 0.9)");
        }
        if (type.equals("sgd") && momentum > 0 && !nesterov) {
            throw new IllegalArgumentException("optimizer.nesterov must be true when optimizer.type is sgd and "
                    + "optimizer.momentum > 0, got nesterov=false with momentum=" + momentum
                    + " (DL4J provides Nesterov momentum only: set nesterov: true, or momentum: 0 for plain SGD)");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("optimizer.weightDecay must be a finite number >= 0, got "
                    + weightDecay + " (set it in the optimizer: section)");
        }
        if (type.equals("adam") && weightDecay > 0) {
            throw new IllegalArgumentException("optimizer.weightDecay must be 0 when optimizer.type is adam, got "
                    + weightDecay + " (use type: adamw for decoupled weight decay with Adam)");
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("optimizer.warmupSteps must be >= 0, got " + warmupSteps
                    + " (set it in the optimizer: section)");
        }
        if (totalSteps < 0) {
            throw new IllegalArgumentException("optimizer.totalSteps must be >= 0 (0 = set by the trainer), got "
                    + totalSteps);
        }
        if (!schedule.equals("constant") && totalSteps > 0 && totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("optimizer.totalSteps must be > optimizer.warmupSteps ("
                    + warmupSteps + ") for a " + schedule + " schedule, got " + totalSteps
                    + " (train for more steps or shorten the warm-up)");
        }
        if (!(finalLearningRateFraction >= 0 && finalLearningRateFraction <= 1)) {
            throw new IllegalArgumentException("optimizer.finalLearningRateFraction must be in [0, 1], got "
                    + finalLearningRateFraction + " (set it in the optimizer: section)");
        }
        if (totalSteps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("optimizer.totalSteps must be <= " + Integer.MAX_VALUE
                    + " (DL4J counts iterations in an int), got " + totalSteps);
        }
    }

    /**
     * Adam at 1e-3 with a cosine decay to 0 over the whole run and no warm-up: the setting the
     * reference SimCLR runs on small images use; Adam needs no warm-up at moderate batch sizes.
     * {@code momentum 0.9, nesterov true} only matter if the type is switched to sgd.
     * {@code totalSteps} is left to the trainer.
     */
    public static OptimizerConfig defaults() {
        return new OptimizerConfig("adam", 1e-3, 0.9, true, 0.0, 0, 0, 0.0, "cosine");
    }

    /** This configuration with {@code totalSteps} set, once the trainer knows the number of steps. */
    public OptimizerConfig withTotalSteps(long steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("optimizer.totalSteps must be > 0, got " + steps
                    + " (the run must have at least one step)");
        }
        return new OptimizerConfig(type, learningRate, momentum, nesterov, weightDecay, warmupSteps, steps,
                finalLearningRateFraction, schedule);
    }

    /** This configuration with the learning rate (and so its whole schedule) multiplied by {@code factor}. */
    public OptimizerConfig withLearningRateScaled(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("a learning-rate factor must be > 0, got " + factor);
        }
        return new OptimizerConfig(type, learningRate * factor, momentum, nesterov, weightDecay, warmupSteps,
                totalSteps, finalLearningRateFraction, schedule);
    }

    /** Whether the learning rate changes over steps (warm-up or decay). */
    public boolean isScheduled() {
        return warmupSteps > 0 || !schedule.equals("constant");
    }

    /**
     * The learning-rate schedule, or {@code null} for a fixed learning rate.
     *
     * @throws IllegalStateException if a decaying schedule is asked for before {@code totalSteps} is set
     */
    public ISchedule learningRateSchedule() {
        if (!isScheduled()) {
            return null;
        }
        if (!schedule.equals("constant") && totalSteps == 0) {
            throw new IllegalStateException("optimizer.totalSteps is not set: the " + schedule + " schedule needs "
                    + "it; call withTotalSteps(steps) once the number of steps is known");
        }
        return new WarmupSchedule(learningRate, warmupSteps, totalSteps, finalLearningRateFraction,
                WarmupSchedule.Decay.valueOf(schedule.toUpperCase(Locale.ROOT)));
    }

    /** The learning rate at an optimizer step (iteration), as the updater will use it. */
    public double learningRateAt(int iteration) {
        ISchedule lr = learningRateSchedule();
        return lr == null ? learningRate : lr.valueAt(iteration, 0);
    }

    /** The DL4J updater: Sgd, Nesterovs or Adam, with the learning-rate schedule. */
    public IUpdater updater() {
        ISchedule lr = learningRateSchedule();
        return switch (type) {
            case "sgd" -> momentum > 0
                    ? (lr == null ? new Nesterovs(learningRate, momentum) : new Nesterovs(lr, momentum))
                    : (lr == null ? new Sgd(learningRate) : new Sgd(lr));
            case "adam", "adamw" -> lr == null ? new Adam(learningRate) : new Adam(lr);
            default -> throw new IllegalStateException("unhandled optimizer.type " + type);
        };
    }

    /**
     * Sets the updater on a network builder; its layers inherit it. Weight decay is not set here:
     * see {@link #applyWeightDecay}.
     *
     * @return {@code builder}
     */
    public NeuralNetConfiguration.Builder applyUpdater(NeuralNetConfiguration.Builder builder) {
        return builder.updater(updater());
    }

    /**
     * Puts the decoupled weight decay on the weights of every layer of a built configuration that
     * has weights (convolution, dense, output layers), replacing any weight decay already there;
     * biases and batch-norm parameters are left alone. Nothing changes when
     * {@code weightDecay == 0}.
     *
     * <p>This works on the built configuration because DL4J 1.0.0-M2.1 registers a builder-level
     * {@code weightDecay(...)} twice on every layer, which doubles the decay.
     *
     * @return {@code conf}
     */
    public ComputationGraphConfiguration applyWeightDecay(ComputationGraphConfiguration conf) {
        if (weightDecay == 0) {
            return conf;
        }
        for (GraphVertex vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer
                    && !(layer instanceof BatchNormalization)
                    && !layer.initializer().weightKeys(layer).isEmpty()) {
                List<Regularization> regularization = new ArrayList<>(layer.getRegularization() == null
                        ? List.of() : layer.getRegularization());
                regularization.removeIf(r -> r instanceof WeightDecay);
                regularization.add(new WeightDecay(weightDecay, true));
                layer.setRegularization(regularization);
            }
        }
        return conf;
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
