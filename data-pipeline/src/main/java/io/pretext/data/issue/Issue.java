package io.pretext.data.issue;

/**
 * Something a corpus reader noticed about one input: which input, and why (a reason of the reader's own enum).
 *
 * @param <R> the reader's reasons
 */
public interface Issue<R extends Enum<R>> {

    /** The input's id. */
    String id();

    R reason();
}
