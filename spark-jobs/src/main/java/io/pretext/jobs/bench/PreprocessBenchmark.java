package io.pretext.jobs.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.pretext.data.augment.SimClrAugmentConfig;
import io.pretext.data.augment.SimClrAugmenter;
import io.pretext.data.image.DecodeResult;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.data.image.ImageDecoder;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.text.Vocabulary;
import io.pretext.data.text.WordPieceTokenizer;
import org.deeplearning4j.text.tokenization.tokenizerfactory.BertWordPieceTokenizerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * Preprocessing speed per core, each candidate on one thread in the same sitting: WordPiece tokenization
 * (Pretext's {@link WordPieceTokenizer} against DL4J's {@code BertWordPieceTokenizerFactory}), image decode and
 * resize from bytes in memory ({@link ImageDecoder} against PIL as torchvision's loader uses it), and SimCLR view
 * augmentation ({@link SimClrAugmenter} against the same torchvision transforms on PIL images and on uint8
 * tensors). A round cycles through the inputs until its time is up, resuming where the previous round stopped;
 * one untimed round warms up, the median of the timed rounds is reported.
 */
public final class PreprocessBenchmark {

    /** The default text corpus, looked for in the ancestors of the working folder and of {@code pretext.home}. */
    public static final String DEFAULT_TEXT = "shared/data/text/sotu";
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff");
    private static final long SEED = 42;

    /**
     * Benchmark settings.
     *
     * @param text      folder of {@code .txt} files; every non-blank line is one input
     * @param vocab     where the vocabulary was read from
     * @param images    folder of encoded images (searched recursively)
     * @param maxLines  lines read at most, 0 = all
     * @param maxImages images read at most, 0 = all
     */
    public record Settings(Path text, String vocab, Path images, int channels, int size, int rounds,
                           double seconds, int maxLines, int maxImages, String python, boolean torch) {
        public Settings {
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("--channels must be 1 or 3, got " + channels);
            }
            if (size < 8) {
                throw new IllegalArgumentException("--size must be >= 8, got " + size);
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
            }
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("--seconds must be > 0, got " + seconds);
            }
            if (maxLines < 0 || maxImages < 0) {
                throw new IllegalArgumentException("--max-lines and --max-images must be >= 0 (0 = all), got "
                        + maxLines + " and " + maxImages);
            }
        }
    }

    /** What was measured on: inputs read, and the torchvision versions or why there is no reference. */
    public record Inputs(int textFiles, int lines, long chars, int vocabSize, int images, long imageBytes,
                         int blurKernel, String reference) {
    }

    /**
     * One comparison: Pretext's rate per core (median over rounds) and the reference's, or null with the reason in
     * {@link Inputs#reference()} when it could not be measured.
     */
    public record Row(String what, String unit, double ours, List<Double> oursRounds, String referenceName,
                      Double reference) {
        @JsonProperty("ratio")
        public double ratio() {
            return reference == null ? Double.NaN : ours / reference;
        }
    }

    /** Everything the benchmark prints. */
    public record Result(Inputs inputs, List<Row> rows) {
    }

    private PreprocessBenchmark() {
    }

    /** {@value #DEFAULT_TEXT} in the nearest ancestor of the working folder or of {@code pretext.home}. */
    public static Path defaultText() {
        List<Path> starts = new ArrayList<>(List.of(Path.of("").toAbsolutePath()));
        String home = System.getProperty("pretext.home");
        if (home != null) {
            starts.add(Path.of(home).toAbsolutePath());
        }
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(DEFAULT_TEXT);
                if (Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalArgumentException("no text corpus given and " + DEFAULT_TEXT + " is not in any folder above "
                + starts.get(0) + (home != null ? " or " + home : "") + " (pass --text DIR, a folder of .txt files)");
    }

    public static Result run(Settings s, Vocabulary vocab) {
        List<Path> textFiles = files(s.text(), "--text", name -> name.endsWith(".txt"), "*.txt files");
        Text text = lines(textFiles, s.maxLines());
        List<String> lines = text.lines();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("--text " + s.text() + ": the .txt files hold only blank lines");
        }
        List<Path> imageFiles = files(s.images(), "--images",
                name -> IMAGE_EXTENSIONS.contains(extension(name)), "image files *.png|*.jpg|*.gif|*.bmp|*.tif");
        if (s.maxImages() > 0 && imageFiles.size() > s.maxImages()) {
            imageFiles = imageFiles.subList(0, s.maxImages());
        }
        List<byte[]> encoded = new ArrayList<>(imageFiles.size());
        for (Path f : imageFiles) {
            encoded.add(read(f));
        }

        WordPieceTokenizer own = new WordPieceTokenizer(vocab);
        BertWordPieceTokenizerFactory dl4j = dl4jTokenizer(vocab);
        List<Double> ownText = rates(lines, line -> own.encode(line).length, s);
        List<Double> dl4jText = rates(lines, line -> dl4j.create(line).countTokens(), s);

        ImageDecoder decoder = new ImageDecoder(ImageDataConfig.defaults().withImageSize(s.channels(), s.size(),
                s.size()));
        List<ImageRecord> decoded = decodeAll(decoder, imageFiles, encoded);
        List<Double> ownDecode = rates(encoded, bytes -> decoder.decode("bench", null, bytes) instanceof ImageRecord
                ? 1 : 0, s);

        SimClrAugmenter augmenter = new SimClrAugmenter(SimClrAugmentConfig.defaults(), s.channels(), s.size(),
                s.size());
        float[] views = new float[2 * augmenter.viewSize()];
        int[] pass = {0}; // as the epoch of the view seeds, so that no two calls make the same views
        List<Double> ownAugment = rates(decoded, image -> {
            augmenter.view(image, SimClrAugmenter.viewSeed(SEED, pass[0], image.id(), 0), views, 0);
            augmenter.view(image, SimClrAugmenter.viewSeed(SEED, pass[0]++, image.id(), 1), views,
                    augmenter.viewSize());
            return 2;
        }, s);

        TorchFigures torch = torch(s, imageFiles, augmenter);
        long chars = lines.stream().mapToLong(String::length).sum();
        long imageBytes = encoded.stream().mapToLong(b -> b.length).sum();
        Inputs inputs = new Inputs(text.files(), lines.size(), chars, vocab.size(), decoded.size(), imageBytes,
                augmenter.blurKernel(), torch.description());
        List<Row> rows = List.of(
                new Row("WordPiece tokenization", "tokens/s", median(ownText), ownText,
                        "DL4J BertWordPieceTokenizerFactory", median(dl4jText)),
                new Row("decode + resize to " + s.size() + "x" + s.size() + "x" + s.channels(), "images/s",
                        median(ownDecode), ownDecode, "PIL open + ImageOps.fit", torch.decode()),
                new Row("SimCLR augmentation", "views/s", median(ownAugment), ownAugment,
                        "torchvision on PIL images", torch.augmentPil()),
                new Row("SimCLR augmentation", "views/s", median(ownAugment), ownAugment,
                        "torchvision on uint8 tensors", torch.augmentTensor()));
        return new Result(inputs, rows);
    }

    /**
     * Units/s of each timed round: a round applies {@code work} (returning the units it did) to the inputs in turn
     * until {@code seconds} have passed, resuming where the previous round stopped; the first round is not timed.
     */
    static <T> List<Double> rates(List<T> inputs, ToIntFunction<T> work, Settings s) {
        long limit = (long) (s.seconds() * 1e9);
        int position = 0;
        List<Double> out = new ArrayList<>(s.rounds());
        for (int round = 0; round <= s.rounds(); round++) {
            long units = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                units += work.applyAsInt(inputs.get(position));
                position = (position + 1) % inputs.size();
                elapsed = System.nanoTime() - start;
            } while (elapsed < limit);
            if (round > 0) {
                out.add(units / (elapsed / 1e9));
            }
        }
        return out;
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The torchvision figures, or nulls and the reason they are missing. */
    private record TorchFigures(Double decode, Double augmentPil, Double augmentTensor, String description) {
        static TorchFigures none(String why) {
            return new TorchFigures(null, null, null, why);
        }
    }

    private static TorchFigures torch(Settings s, List<Path> imageFiles, SimClrAugmenter augmenter) {
        if (!s.torch()) {
            return TorchFigures.none("torchvision skipped (--no-torch)");
        }
        TorchReference python = new TorchReference(s.python());
        Optional<String> missing = python.unavailable("torch", "torchvision", "PIL");
        if (missing.isPresent()) {
            return TorchFigures.none("torchvision skipped: " + missing.get());
        }
        Path list = null;
        try {
            list = Files.createTempFile("pretext-bench-images", ".txt");
            Files.write(list, imageFiles.stream().map(p -> p.toAbsolutePath().toString()).toList(),
                    StandardCharsets.UTF_8);
            SimClrAugmentConfig a = SimClrAugmentConfig.defaults();
            List<String> args = new ArrayList<>(List.of("--files", list.toString(),
                    "--size", String.valueOf(s.size()), "--channels", String.valueOf(s.channels()),
                    "--rounds", String.valueOf(s.rounds()), "--seconds", String.valueOf(s.seconds()),
                    "--crop-scale", str(a.cropScaleMin()), str(a.cropScaleMax()),
                    "--crop-ratio", str(a.cropRatioMin()), str(a.cropRatioMax()),
                    "--flip", str(a.flipProbability()), "--jitter", str(a.jitterProbability()),
                    "--brightness", str(a.brightness()), "--contrast", str(a.contrast()),
                    "--saturation", str(a.saturation()), "--hue", str(a.hue()),
                    "--grayscale", str(a.grayscaleProbability()),
                    "--blur-kernel", String.valueOf(augmenter.blurKernel()), "--blur", str(a.blurProbability()),
                    "--blur-sigma", str(a.blurSigmaMin()), str(a.blurSigmaMax())));
            JsonNode r = python.run("preprocess_torch.py", args);
            return new TorchFigures(r.get("decodeImagesPerSec").asDouble(), r.get("augmentPilViewsPerSec").asDouble(),
                    r.get("augmentTensorViewsPerSec").asDouble(), "torch " + r.get("torch").asText() + ", torchvision "
                    + r.get("torchvision").asText() + ", Pillow " + r.get("pillow").asText() + ", "
                    + r.get("threads").asInt() + " thread");
        } catch (IOException | RuntimeException e) {
            return TorchFigures.none("torchvision skipped: " + e.getMessage());
        } finally {
            if (list != null) {
                list.toFile().delete();
            }
        }
    }

    private static String str(double v) {
        return Double.toString(v);
    }

    /** DL4J's BERT tokenizer over {@code vocab}, lowercasing and stripping accents as bert-base-uncased does. */
    static BertWordPieceTokenizerFactory dl4jTokenizer(Vocabulary vocab) {
        byte[] file = String.join("\n", vocab.tokens()).concat("\n").getBytes(StandardCharsets.UTF_8);
        try (InputStream in = new ByteArrayInputStream(file)) {
            return new BertWordPieceTokenizerFactory(in, true, true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ImageRecord> decodeAll(ImageDecoder decoder, List<Path> files, List<byte[]> encoded) {
        List<ImageRecord> out = new ArrayList<>(files.size());
        List<String> rejected = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            DecodeResult r = decoder.decode(files.get(i).toString(), null, encoded.get(i));
            if (r instanceof ImageRecord image) {
                out.add(image);
            } else {
                rejected.add(files.get(i) + ": " + r);
            }
        }
        if (!rejected.isEmpty()) {
            throw new IllegalArgumentException(rejected.size() + " of " + files.size() + " images do not decode, "
                    + "first " + rejected.get(0) + " (pass --images DIR with decodable images only)");
        }
        return out;
    }

    private static List<Path> files(Path dir, String option, Predicate<String> accept,
                                    String expected) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " is not a folder (expected " + expected + ")");
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> found = walk.filter(Files::isRegularFile)
                    .filter(p -> accept.test(p.getFileName().toString().toLowerCase(Locale.ROOT))).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalArgumentException(option + " " + dir + " holds no " + expected);
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Non-blank lines of some of the files and how many files they came from. */
    private record Text(List<String> lines, int files) {
    }

    /** Non-blank lines of the files in order, at most {@code max} (0 = all); bytes that are not UTF-8 replaced. */
    private static Text lines(List<Path> files, int max) {
        List<String> out = new ArrayList<>();
        int used = 0;
        for (Path f : files) {
            used++;
            for (String line : new String(read(f), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(line);
                    if (out.size() == max) {
                        return new Text(out, used);
                    }
                }
            }
        }
        return new Text(out, used);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    public static String table(Result result, Settings s) {
        Inputs in = result.inputs();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Preprocessing per core (one thread), median of %d rounds of %s s "
                + "after one warm-up round%n", s.rounds(), s.seconds()));
        out.append(String.format(Locale.ROOT, "text:   %,d lines (%,d chars) of %d files in %s; vocabulary %,d tokens "
                + "(%s)%n", in.lines(), in.chars(), in.textFiles(), s.text(), in.vocabSize(), s.vocab()));
        out.append(String.format(Locale.ROOT, "images: %,d files (%,d bytes, in memory) under %s -> %dx%dx%d; "
                + "SimCLR views (2 per image) with the default augment: settings, %s%n", in.images(), in.imageBytes(),
                s.images(), s.size(), s.size(), s.channels(), in.blurKernel() > 0
                        ? "Gaussian blur " + in.blurKernel() + "x" + in.blurKernel()
                        : "no blur below " + SimClrAugmentConfig.AUTO_BLUR_MIN_SIDE + " px"));
        out.append("reference: ").append(in.reference()).append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "%-30s %-9s %14s %14s  %-36s %9s%n", "what", "unit", "ours/core",
                "ref/core", "reference", "ours/ref"));
        for (Row r : result.rows()) {
            out.append(String.format(Locale.ROOT, "%-30s %-9s %,14.0f %14s  %-36s %9s%n", r.what(), r.unit(), r.ours(),
                    r.reference() == null ? "-" : String.format(Locale.ROOT, "%,.0f", r.reference()), r.referenceName(),
                    r.reference() == null ? "-" : String.format(Locale.ROOT, "%.2fx", r.ratio())));
        }
        return out.toString();
    }
}
