package io.pretext.data.image;

/** What decoding one input gives: a usable {@link ImageRecord} or an {@link ImageReject}. */
public sealed interface DecodeResult permits ImageRecord, ImageReject {

    /** The input's id inside its corpus. */
    String id();
}
