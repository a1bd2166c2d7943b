package io.pretext.jobs;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad configurations and paths are refused before any Spark work, with key, value, rule and fix. */
class BadInputTest {

    @TempDir
    static Path dir;

    record Case(String name, List<String> args, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        String images = SampleImages.SAMPLE.resolve("test").toString();
        return Stream.of(
                new Case("unknown key", List.of("--data", images, "--set", "train.bachSize=8"),
                        "unknown key train.bachSize; did you mean batchSize?"),
                new Case("wrong type", List.of("--data", images, "--set", "train.epochs=many"),
                        "train.epochs must be an integer, got 'many'"),
                new Case("batch per worker 0", List.of("--data", images, "--set", "train.batchSize=0"),
                        "train.batchSize must be >= 1, got 0"),
                new Case("averaging frequency 0", List.of("--data", images, "--set", "train.averagingFrequency=0"),
                        "train.averagingFrequency must be >= 1"),
                new Case("negative temperature", List.of("--data", images, "--set", "model.temperature=-0.5"),
                        "model.temperature must be > 0, got -0.5"),
                new Case("unknown section", List.of("--data", images, "--set", "trainer.epochs=1"),
                        "unknown section trainer"),
                new Case("unknown encoder", List.of("--data", images, "--set", "model.encoder=vgg"),
                        "vgg"),
                new Case("missing config file", List.of("--data", images, "--config", "/no/such/file.yaml"),
                        "config file /no/such/file.yaml does not exist"),
                new Case("missing data", List.of("--data", dir.resolve("nothing-here").toString()),
                        "does not exist"),
                new Case("unknown preset", List.of("--data", images, "--preset", "simclr-vgg"),
                        "unknown preset simclr-vgg for simclr"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void refusedWithAClearMessage(Case c) {
        List<String> args = new ArrayList<>(List.of("pretrain", "simclr", "--out", dir.resolve(c.name()).toString(),
                "--master", "local[1]"));
        args.addAll(c.args());
        StringWriter err = new StringWriter();
        assertEquals(2, Pretext.run(new PrintWriter(err, true), args.toArray(String[]::new)));
        assertTrue(err.toString().contains(c.message()), err.toString());
        assertTrue(Files.notExists(dir.resolve(c.name()).resolve("checkpoints")));
    }

    @ParameterizedTest
    @MethodSource("unwritable")
    void refusesAnOutputLocationItCannotWrite(String out) throws Exception {
        Files.writeString(dir.resolve("a-file"), "x");
        StringWriter err = new StringWriter();
        int code = Pretext.run(new PrintWriter(err, true), "pretrain", "simclr", "--data",
                SampleImages.SAMPLE.resolve("test").toString(), "--out", out, "--master", "local[1]");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("--out"), err.toString());
    }

    static Stream<String> unwritable() {
        return Stream.of(dir.resolve("a-file").resolve("run").toString(), "hdfs://127.0.0.1:1/runs/x");
    }
}
