package io.pretext.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleImages;
import io.pretext.jobs.SampleText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pretext bench preprocess} on two State of the Union addresses and a few Fashion-MNIST images. */
class PreprocessBenchmarkTest {

    private static final Path VOCAB = SampleImages.SAMPLE.resolveSibling("vocab").resolve("bert-base-uncased-vocab.txt");

    @TempDir
    Path dir;

    @Test
    void reportsPositiveRatesForEveryMeasurement() throws IOException {
        Path text = SampleText.copy("sotu", 0, 2, dir.resolve("text"));
        Path images = SampleImages.copy("test", List.of("bag", "sneaker"), 4, dir.resolve("images"));
        Path json = dir.resolve("bench.json");

        String printed = captureOut(() -> assertEquals(0, Pretext.run("bench", "preprocess", "--text",
                text.toString(), "--vocab", VOCAB.toString(), "--images", images.toString(), "--rounds", "1",
                "--seconds", "0.05", "--no-torch", "--out", json.toString())));

        JsonNode rows = new ObjectMapper().readTree(json.toFile()).get("rows");
        assertEquals(List.of("tokens/s", "images/s", "views/s", "views/s"),
                List.of(rows.get(0).get("unit").asText(), rows.get(1).get("unit").asText(),
                        rows.get(2).get("unit").asText(), rows.get(3).get("unit").asText()));
        for (JsonNode row : rows) {
            assertTrue(row.get("ours").asDouble() > 0, row::toString);
        }
        assertTrue(rows.get(0).get("reference").asDouble() > 0, "DL4J tokenizer rate: " + rows.get(0));
        assertTrue(rows.get(1).get("reference").isNull(), "no torchvision with --no-torch: " + rows.get(1));
        JsonNode inputs = new ObjectMapper().readTree(json.toFile()).get("inputs");
        assertEquals(2, inputs.get("textFiles").asInt());
        assertEquals(8, inputs.get("images").asInt());
        for (String what : List.of("WordPiece tokenization", "decode + resize to 32x32x3", "SimCLR augmentation")) {
            assertTrue(printed.lines().anyMatch(l -> l.startsWith(what)), what + " missing from:\n" + printed);
        }
        assertTrue(printed.contains("torchvision skipped (--no-torch)"), printed);
    }

    @Test
    void refusesATextFolderWithoutTxtFiles() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-text"));
        StringWriter err = new StringWriter();
        int code = Pretext.run(new PrintWriter(err, true), "bench", "preprocess", "--text", empty.toString(),
                "--vocab", VOCAB.toString(), "--images", SampleImages.SAMPLE.toString(), "--no-torch");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--text " + empty + " holds no *.txt files"), err.toString());
    }

    private static String captureOut(Runnable body) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        original.print(printed);
        return printed;
    }
}
