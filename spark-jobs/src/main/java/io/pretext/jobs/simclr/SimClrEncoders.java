package io.pretext.jobs.simclr;

import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.eval.ProbeEvaluation;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.zoo.optim.OptimizerConfig;
import io.pretext.zoo.simclr.SimClr;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The encoders of a finished SimCLR run: the exported one and the same architecture at its initial weights. */
public final class SimClrEncoders {

    private SimClrEncoders() {
    }

    /** The run's configuration as it was resolved for training (config.yaml). */
    public static SimClrRunConfig config(RunDirectory run, List<String> evalSets) {
        for (String set : evalSets) {
            if (!set.startsWith("eval.")) {
                throw new IllegalArgumentException("--set " + set + ": only eval.* settings can change at "
                        + "evaluation; the rest is the run's own config.yaml");
            }
        }
        return SimClrRunConfig.resolve(ConfigSource.load(SimClrRunConfig.SECTIONS, Map.of(),
                run.path(RunDirectory.CONFIG).toString(), evalSets));
    }

    public static ProbeEvaluation.Encoders load(RunDirectory run, SimClrRunConfig config) {
        if (!run.exists(RunDirectory.ENCODER)) {
            throw new IllegalArgumentException(run + " has no " + RunDirectory.ENCODER
                    + " (the run did not finish; --resume it first)");
        }
        ComputationGraph pretrained;
        try (InputStream in = run.openInput(RunDirectory.ENCODER)) {
            pretrained = ModelSerializer.restoreComputationGraph(in, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + run.path(RunDirectory.ENCODER), e);
        }
        // the weights pretraining started from: initialisation depends on the model and its seed, not the optimiser
        OptimizerConfig fixed = new OptimizerConfig("sgd", 0.1, 0, false, 0, 0, 0, 1, "constant");
        ComputationGraph initial = SimClr.encoderOnly(SimClr.init(config.model(), fixed), config.model());
        return new ProbeEvaluation.Encoders(pretrained, initial, config.data());
    }
}
