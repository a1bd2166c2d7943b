package io.pretext.data.text;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A WordPiece vocabulary: one token per line of {@code vocab.txt}, the line number (from 0) is the id.
 * Continuation pieces start with {@code ##}. The five BERT special tokens must be present; their ids
 * are read from the file, never assumed ({@code [PAD]=0, [UNK]=100, [CLS]=101, [SEP]=102, [MASK]=103}
 * in bert-base-uncased).
 *
 * <p>{@link #sha256()} is the content hash recorded in manifests and used to key per-JVM tokenizers:
 * the SHA-256 of the tokens each followed by {@code \n}, so it equals {@code sha256sum vocab.txt} for
 * a file with LF line ends and a final newline, and does not change with CRLF line ends.
 *
 * <p>Serializable as its token list only; lookup tables are rebuilt on the receiving side.
 */
public final class Vocabulary implements Serializable {

    public static final String PAD = "[PAD]";
    public static final String UNK = "[UNK]";
    public static final String CLS = "[CLS]";
    public static final String SEP = "[SEP]";
    public static final String MASK = "[MASK]";
    /** The special tokens in the order a new vocabulary lists them first. */
    public static final List<String> SPECIALS = List.of(PAD, UNK, CLS, SEP, MASK);
    public static final String CONTINUATION = "##";

    private static final long serialVersionUID = 1L;

    private final String[] tokens;
    private final transient Map<String, Integer> ids;
    private final transient String sha256;
    private final transient int pad;
    private final transient int unk;
    private final transient int cls;
    private final transient int sep;
    private final transient int mask;

    private Vocabulary(String[] tokens, String origin) {
        this.tokens = tokens;
        this.ids = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.isEmpty() || !t.strip().equals(t)) {
                throw new IllegalArgumentException("vocabulary " + origin + ": line " + (i + 1) + " holds "
                        + (t.isEmpty() ? "an empty token" : "a token with surrounding whitespace \"" + t + "\"")
                        + " (one token per line, no blank lines)");
            }
            Integer before = ids.putIfAbsent(t, i);
            if (before != null) {
                throw new IllegalArgumentException("vocabulary " + origin + ": token \"" + t + "\" appears on lines "
                        + (before + 1) + " and " + (i + 1) + " (every token once)");
            }
        }
        this.pad = special(PAD, origin);
        this.unk = special(UNK, origin);
        this.cls = special(CLS, origin);
        this.sep = special(SEP, origin);
        this.mask = special(MASK, origin);
        this.sha256 = hash(tokens);
    }

    /** A vocabulary of the given tokens, id = index. */
    public static Vocabulary of(List<String> tokens) {
        return new Vocabulary(tokens.toArray(String[]::new), "(in memory)");
    }

    /**
     * Reads {@code vocab.txt} from a Hadoop URI ({@code hdfs://}, {@code s3a://}, {@code file://} or a local
     * path): UTF-8, one token per line, LF or CRLF.
     *
     * @throws IllegalArgumentException when the file is missing, not UTF-8, or lacks a special token
     */
    public static Vocabulary load(String uri, Configuration conf) {
        Objects.requireNonNull(uri, "uri");
        Path path = new Path(uri);
        byte[] bytes;
        try {
            FileSystem fs = path.getFileSystem(conf);
            try (InputStream in = fs.open(path)) {
                bytes = in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("vocabulary " + uri + " does not exist (expected a vocab.txt with one "
                    + "WordPiece token per line)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vocabulary " + uri + ": " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("vocabulary " + uri + " is not valid UTF-8 (" + e.getMessage() + ")");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) {
            n--; // the final newline ends the last token, it does not start another
        }
        return new Vocabulary(Arrays.copyOf(lines, n), uri);
    }

    /** Reads with a default Hadoop configuration. */
    public static Vocabulary load(String uri) {
        return load(uri, new Configuration());
    }

    /** Writes {@code vocab.txt} (tokens, LF after each) atomically: a temporary file renamed into place. */
    public void write(String uri, Configuration conf) {
        Path path = new Path(uri);
        try {
            FileSystem fs = path.getFileSystem(conf);
            Path tmp = new Path(path.getParent(), "." + path.getName() + ".tmp");
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(canonicalBytes(tokens));
            }
            if (fs.exists(path) && !fs.delete(path, false)) {
                throw new IOException("cannot replace " + path);
            }
            if (!fs.rename(tmp, path)) {
                throw new IOException("cannot rename " + tmp + " to " + path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write vocabulary " + uri + ": " + e.getMessage(), e);
        }
    }

    public int size() {
        return tokens.length;
    }

    /** The token with this id. */
    public String token(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id must be in [0, " + tokens.length + "), got " + id);
        }
        return tokens[id];
    }

    /** The id of {@code token}, or -1 when the vocabulary does not hold it. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** All tokens in id order. */
    public List<String> tokens() {
        return List.of(tokens);
    }

    public int padId() {
        return pad;
    }

    public int unkId() {
        return unk;
    }

    public int clsId() {
        return cls;
    }

    public int sepId() {
        return sep;
    }

    public int maskId() {
        return mask;
    }

    /** Whether {@code id} is one of the five special tokens. */
    public boolean isSpecial(int id) {
        return id == pad || id == unk || id == cls || id == sep || id == mask;
    }

    /** Hex SHA-256 of the content (see the class comment). */
    public String sha256() {
        return sha256;
    }

    private int special(String token, String origin) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("vocabulary " + origin + " has no " + token + " token (a BERT vocabulary "
                    + "needs " + String.join(" ", SPECIALS) + "; build one with VocabBuilder)");
        }
        return id;
    }

    private static byte[] canonicalBytes(String[] tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(tokens.length * 8);
        for (String t : tokens) {
            out.writeBytes(t.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static String hash(String[] tokens) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalBytes(tokens)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private Object readResolve() {
        return new Vocabulary(tokens, "(deserialized)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.sha256.equals(sha256) && Arrays.equals(v.tokens, tokens);
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[" + tokens.length + " tokens, sha256 " + sha256.substring(0, 12) + "]";
    }
}
