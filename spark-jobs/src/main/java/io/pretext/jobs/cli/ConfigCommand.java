package io.pretext.jobs.cli;

import io.pretext.jobs.autoencoder.AutoencoderRunConfig;
import io.pretext.jobs.bert.BertRunConfig;
import io.pretext.jobs.bert.BertVocab;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.config.Presets;
import io.pretext.jobs.simclr.SimClrRunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code pretext config MODEL}: prints the fully resolved configuration a run would use, without running. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the resolved configuration of a model (defaults, preset, file, --set), or the presets.")
public final class ConfigCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "simclr, bert, ae, dae, vae, or 'presets' to list the presets")
    String model;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file")
    String config;

    @Option(names = "--preset", paramLabel = "NAME", description = "named preset applied before --config")
    String preset;

    @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE", description = "override one setting, repeatable")
    List<String> sets = new ArrayList<>();

    @Option(names = "--vocab", paramLabel = "FILE", description = "bert: the vocabulary that sets model.vocabSize "
            + "(default: the bundled bert-base-uncased vocab)")
    String vocab;

    @Override
    public Integer call() {
        switch (model) {
            case "presets" -> Presets.all().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                    System.out.printf("%-18s %-8s %s%n", e.getKey(), e.getValue().model(), e.getValue().description()));
            case "simclr" -> System.out.print(SimClrRunConfig.resolve(ConfigSource.load(SimClrRunConfig.SECTIONS,
                    Presets.settings(preset, "simclr"), config, sets)).toYaml());
            case "bert" -> System.out.print(BertRunConfig.resolve(ConfigSource.load(BertRunConfig.SECTIONS,
                    Presets.settings(preset, "bert"), config, sets), BertVocab.load(vocab).vocabulary()).toYaml());
            case "ae", "dae", "vae" -> System.out.print(AutoencoderRunConfig.resolve(
                    ConfigSource.load(AutoencoderRunConfig.sections(model), Presets.settings(preset, model), config,
                            sets), model).toYaml());
            default -> throw new IllegalArgumentException("unknown model " + model
                    + " (valid: simclr, bert, ae, dae, vae, presets)");
        }
        return 0;
    }
}
