/**
 * What a run shows the people who watch it: the self-contained {@code RUN_DIR/report.html} (what ran, data,
 * training curves, the model family's own section, evaluation, configuration), the page comparing several runs,
 * and the progress bar on a terminal.
 *
 * <p>The report is drawn only from files in the run directory ({@code manifest.json}, {@code config.yaml},
 * {@code metrics.jsonl}, {@code summary.json}, {@code rejected.jsonl}, {@code eval/*.json} and
 * {@code report/}), so {@code pretext report RUN_DIR} regenerates it at any time, during a run or after it.
 */
package io.pretext.jobs.report;
