package io.pretext.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch side of a benchmark: a reference script shipped in the jar ({@code bench/*.py}) run with a local
 * Python that has torch (Debian: {@code apt-get install python3-torch}, interpreter {@code /usr/bin/python3}).
 */
final class TorchReference {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String python;

    TorchReference(String python) {
        this.python = python;
    }

    /** Why PyTorch cannot be used here, or empty when it can. */
    Optional<String> unavailable() {
        return unavailable("torch");
    }

    /** Why the Python modules (such as {@code torch}, {@code torchvision}) cannot be imported, or empty. */
    Optional<String> unavailable(String... modules) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import " + String.join(", ", modules))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.of(python + " cannot import " + String.join(", ", modules) + " (" + lastLine(out)
                        + "); on Debian: apt-get install python3-torch python3-torchvision");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("no Python at " + python + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** Runs {@code bench/<script>} with the given arguments and returns the JSON object it prints last. */
    JsonNode run(String script, List<String> args) {
        Path file = extract(script);
        List<String> command = new ArrayList<>(List.of(python, file.toString()));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("PyTorch reference " + script + " failed: " + lastLine(out));
            }
            return JSON.readTree(lastLine(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            file.toFile().delete();
        }
    }

    private static Path extract(String script) {
        try (InputStream in = TorchReference.class.getResourceAsStream("/bench/" + script)) {
            if (in == null) {
                throw new IllegalStateException("bench/" + script + " is missing from the jar");
            }
            Path file = Files.createTempFile("pretext-", "-" + script);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }
}
