package io.pretext.jobs.train;

/** Training produced a non-finite loss or parameter; the run stops and the last good checkpoint stays. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
