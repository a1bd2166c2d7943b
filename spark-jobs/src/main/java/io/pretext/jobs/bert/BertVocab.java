package io.pretext.jobs.bert;

import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;

import java.io.File;
import java.nio.charset.StandardCharsets;

/**
 * The WordPiece vocabulary of a BERT run: the one given with {@code --vocab}, else bert-base-uncased's as shipped
 * with Pretext ({@value #BUNDLED}, found from the {@code pretext.home} system property the launcher sets, else the
 * working folder). A run keeps a copy as {@code RUN_DIR/vocab.txt}; evaluation, fine-tuning and embeddings read
 * that copy.
 */
public final class BertVocab {

    /** The run directory's copy. */
    public static final String FILE = "vocab.txt";
    /** The bundled vocabulary, relative to the Pretext home. */
    public static final String BUNDLED = "deploy/samples/vocab/bert-base-uncased-vocab.txt";

    /** A vocabulary and where it came from. */
    public record Source(Vocabulary vocabulary, String location) {
    }

    private BertVocab() {
    }

    /** {@code --vocab FILE} (a Hadoop URI or local path), or the bundled vocabulary when {@code given} is null. */
    public static Source load(String given) {
        String location = given != null ? given : bundled();
        if (given != null) {
            HadoopPaths.requireExists(given, "--vocab");
        }
        String qualified = HadoopPaths.qualified(location);
        return new Source(Vocabulary.load(qualified, HadoopPaths.configuration()), qualified);
    }

    /** The bundled bert-base-uncased vocabulary's path. */
    static String bundled() {
        String home = System.getProperty("pretext.home");
        File file = new File(home != null ? home : ".", BUNDLED);
        if (!file.isFile()) {
            throw new IllegalArgumentException("the bundled vocabulary is not at " + file.getAbsolutePath()
                    + " (run from the project root, use deploy/bin/pretext, or pass --vocab FILE)");
        }
        return file.getAbsolutePath();
    }

    /** The vocabulary a run trained with ({@code RUN_DIR/vocab.txt}). */
    public static Vocabulary of(RunDirectory run) {
        if (!run.exists(FILE)) {
            throw new IllegalArgumentException(run + " has no " + FILE + " (is it a BERT run?)");
        }
        return Vocabulary.load(run.path(FILE).toString(), run.fileSystem().getConf());
    }

    /** Writes the run's copy of the vocabulary. */
    static void keep(RunDirectory run, Vocabulary vocab) {
        StringBuilder text = new StringBuilder(vocab.size() * 8);
        for (String token : vocab.tokens()) {
            text.append(token).append('\n');
        }
        run.writeAtomically(FILE, out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Refuses to continue a run, or warm-start from one, with another vocabulary than the run's own.
     *
     * @param option the command-line option that names {@code run}, for the message
     */
    public static void requireSame(RunDirectory run, Vocabulary vocab, String option) {
        if (!run.exists(FILE)) {
            return;
        }
        Vocabulary kept = of(run);
        if (!kept.sha256().equals(vocab.sha256())) {
            throw new IllegalArgumentException(option + ": the vocabulary differs from the run's " + run.path(FILE)
                    + " (sha256 " + kept.sha256() + ", " + kept.size() + " tokens; given " + vocab.sha256() + ", "
                    + vocab.size() + " tokens): pass the run's vocabulary with --vocab");
        }
    }
}
