package io.pretext.jobs.cli;

import io.pretext.jobs.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code pretext report RUN_DIR}: redraws a run's report.html from its files, during or after the run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write RUN_DIR/report.html: what ran, data, curves, the model's own section, evaluation.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "a run directory (Hadoop URI or local path)")
    String run;

    @Override
    public Integer call() {
        System.out.println(RunReport.write(run));
        return 0;
    }
}
