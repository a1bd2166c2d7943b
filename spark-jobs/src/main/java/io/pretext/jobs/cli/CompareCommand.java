package io.pretext.jobs.cli;

import io.pretext.jobs.report.CompareReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code pretext compare RUN_A RUN_B ... [--out FILE.html]}: one page overlaying the curves and tables of runs. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Write one page comparing runs: curves overlaid, evaluations, settings that differ.")
public final class CompareCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", arity = "2..*", description = "two or more run directories")
    List<String> runs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE.html", defaultValue = "compare.html",
            description = "where to write the page (default: ${DEFAULT-VALUE} in the current directory)")
    String out;

    @Override
    public Integer call() {
        System.out.println(CompareReport.write(runs, out));
        return 0;
    }
}
