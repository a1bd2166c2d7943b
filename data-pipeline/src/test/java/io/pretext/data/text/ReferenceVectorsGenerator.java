package io.pretext.data.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Writes {@code wordpiece-reference.jsonl}: a few hundred varied lines from the real corpora with the
 * token ids the Hugging Face BERT tokenizer (DJL) gives them over the bert-base-uncased vocabulary.
 * Run once; the file is checked in and {@code WordPieceReferenceTest} compares every candidate with it.
 * From the project root:
 * <pre>
 * mvn -o -q -pl data-pipeline test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -Dai.djl.offline=true -cp data-pipeline/target/test-classes:data-pipeline/target/classes:$(cat \
 *     data-pipeline/target/test.classpath) io.pretext.data.text.ReferenceVectorsGenerator \
 *     data-pipeline/src/test/resources/io/pretext/data/text/wordpiece-reference.jsonl
 * </pre>
 * Lines: 100 from State of the Union addresses, 80 from Moby-Dick, 60 ham and 60 spam e-mail lines
 * (headers included), and 60 more lines that hold non-ASCII characters; long lines are cut into
 * pieces of at most 300 characters at a space. Files that are not UTF-8 are read as windows-1252.
 */
public final class ReferenceVectorsGenerator {

    private static final int PIECE_CHARS = 300;

    private ReferenceVectorsGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Random random = new Random(20240611L);
        Map<String, List<Line>> sources = new LinkedHashMap<>();
        sources.put("sotu", lines(TestText.corpus("sotu")));
        sources.put("moby-dick", lines(TestText.corpus("moby-dick")));
        sources.put("ham", lines(TestText.corpus("spam-assassin/ham")));
        sources.put("spam", lines(TestText.corpus("spam-assassin/spam")));
        Map<String, Integer> quota = Map.of("sotu", 100, "moby-dick", 80, "ham", 60, "spam", 60);
        LinkedHashMap<String, Line> chosen = new LinkedHashMap<>();
        for (Map.Entry<String, List<Line>> e : sources.entrySet()) {
            pick(e.getValue(), quota.get(e.getKey()), random, chosen);
        }
        List<Line> nonAscii = sources.values().stream().flatMap(List::stream)
                .filter(l -> l.text().chars().anyMatch(c -> c >= 128)).toList();
        pick(nonAscii, 60, random, chosen);

        Vocabulary vocab = TestText.bertVocab();
        ObjectMapper mapper = new ObjectMapper();
        StringBuilder out = new StringBuilder();
        try (HuggingFaceTokenizer hf = TokenizerCandidates.huggingFace(vocab)) {
            for (Line line : chosen.values()) {
                ObjectNode node = mapper.createObjectNode();
                node.put("source", line.source());
                node.put("text", line.text());
                ArrayNode ids = node.putArray("ids");
                for (int id : TokenizerCandidates.huggingFaceIds(hf, line.text())) {
                    ids.add(id);
                }
                out.append(mapper.writeValueAsString(node)).append('\n');
            }
        }
        Path target = Path.of(args[0]);
        Files.writeString(target, out.toString());
        System.out.println("wrote " + chosen.size() + " reference lines to " + target);
    }

    private record Line(String source, String text) {
    }

    private static void pick(List<Line> from, int count, Random random, Map<String, Line> into) {
        int added = 0;
        while (added < count) {
            Line line = from.get(random.nextInt(from.size()));
            if (into.putIfAbsent(line.text(), line) == null) {
                added++;
            }
        }
    }

    private static List<Line> lines(Path dir) throws IOException {
        List<Line> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        for (Path file : files) {
            String text = decode(Files.readAllBytes(file));
            String source = dir.getFileName() + "/" + file.getFileName();
            for (String line : text.split("\r?\n")) {
                for (String piece : pieces(line.strip())) {
                    if (!piece.isBlank()) {
                        out.add(new Line(source, piece));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> pieces(String line) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (line.length() - start > PIECE_CHARS) {
            int cut = line.lastIndexOf(' ', start + PIECE_CHARS);
            if (cut <= start) {
                cut = start + PIECE_CHARS;
            }
            out.add(line.substring(start, cut).strip());
            start = cut;
        }
        out.add(line.substring(start).strip());
        return out;
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, Charset.forName("windows-1252"));
        }
    }
}
