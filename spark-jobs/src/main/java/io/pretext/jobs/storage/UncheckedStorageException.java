package io.pretext.jobs.storage;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A read or write in a run directory failed; the message names the path. */
public final class UncheckedStorageException extends UncheckedIOException {
    public UncheckedStorageException(String message, IOException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
