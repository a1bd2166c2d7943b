package io.pretext.jobs.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleText;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Running {@code pretext preprocess} in tests and looking at what it wrote; the shared real data. */
final class Preprocessing {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Preprocessing() {
    }

    /** The exit code and error output of one command line. */
    record Result(int exit, String err) {
    }

    static Result run(String... args) {
        StringWriter err = new StringWriter();
        int exit = Pretext.run(new PrintWriter(err, true), args);
        return new Result(exit, err.toString());
    }

    /** {@code pretext preprocess --kind KIND --data DATA --out OUT --master local[2]} and {@code --set}s. */
    static Result preprocess(String kind, Path data, Path out, String... sets) {
        List<String> args = new ArrayList<>(List.of("preprocess", "--kind", kind, "--data", data.toString(),
                "--out", out.toString(), "--master", "local[2]"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return run(args.toArray(String[]::new));
    }

    static JsonNode manifest(Path dataset) {
        try {
            return JSON.readTree(dataset.resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> jsonLines(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                out.add(JSON.readTree(line));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under the dataset's shards/ and index/ with its inode and modification time: rewritten or not. */
    static Map<String, String> fileIdentities(Path dataset) {
        Map<String, String> out = new TreeMap<>();
        for (String folder : List.of("shards", "index")) {
            Path dir = dataset.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    FileTime time = Files.getLastModifiedTime(f);
                    out.put(folder + "/" + f.getFileName(), Files.getAttribute(f, "unix:ino") + "@" + time.toMillis());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** {@code shared/data}: {@link SampleText#dataDir()}. */
    static Path sharedData() {
        return SampleText.dataDir();
    }

    static String vocab() {
        return sharedData().resolve("vocab/bert-base-uncased-vocab.txt").toString();
    }

    /** Copies the first {@code n} files (sorted) of a text corpus folder into {@code target}. */
    static Path copyText(String corpus, int n, Path target) {
        return SampleText.copy(corpus, 0, n, target);
    }
}
