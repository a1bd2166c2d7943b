package io.pretext.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.jobs.storage.HadoopPaths;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;

/**
 * {@code pretext latest --root DIR}: the newest finished run under a folder of runs (by the time in its
 * summary.json), for scheduled pipelines that warm-start each run from the previous one.
 */
@Command(name = "latest", mixinStandardHelpOptions = true,
        description = "Print the newest finished run directory under a folder of runs.")
public final class LatestCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "folder holding run directories")
    String root;

    @Option(names = "--model", paramLabel = "MODEL", description = "only runs of this model family, e.g. simclr")
    String model;

    @Override
    public Integer call() throws IOException {
        HadoopPaths.requireExists(root, "--root");
        Path rootPath = HadoopPaths.of(root);
        FileSystem fs = HadoopPaths.fileSystem(rootPath);
        String best = null;
        String bestTime = "";
        for (FileStatus status : fs.listStatus(rootPath)) {
            Path summary = new Path(status.getPath(), "summary.json");
            if (!status.isDirectory() || !fs.exists(summary)) {
                continue;
            }
            JsonNode node;
            try (InputStream in = fs.open(summary)) {
                node = JSON.readTree(in);
            }
            String finished = node.path("finishedAt").asText("");
            boolean modelMatches = model == null || model.equals(node.path("model").asText());
            if (modelMatches && finished.compareTo(bestTime) > 0) {
                bestTime = finished;
                best = fs.makeQualified(status.getPath()).toString();
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no finished run under " + root
                    + (model == null ? "" : " for model " + model));
        }
        System.out.println(best);
        return 0;
    }
}
