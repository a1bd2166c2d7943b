package io.pretext.data.image;

/** Why an input was not turned into an image. {@link #key()} is the stable name used in reports. */
public enum RejectReason {
    /** The file has zero bytes. */
    EMPTY_FILE("empty_file"),
    /** The bytes start with no known image signature. */
    NOT_AN_IMAGE("not_an_image"),
    /** A known container that this decoder cannot read (WebP, HEIF/AVIF). */
    UNSUPPORTED_FORMAT("unsupported_format"),
    /** The container ends early: PNG without IEND, JPEG without EOI, GIF without trailer, short BMP. */
    TRUNCATED("truncated"),
    /** The container is structurally broken or the decoder failed on it. */
    UNDECODABLE("undecodable"),
    /** Width or height below {@code data.minSourceSize}. */
    TOO_SMALL("too_small"),
    /** More bytes than {@code data.maxFileBytes} or more pixels than {@code data.maxSourcePixels}. */
    TOO_LARGE("too_large"),
    /** Reading the bytes failed (I/O error, file vanished, permission denied). */
    UNREADABLE("unreadable");

    private final String key;

    RejectReason(String key) {
        this.key = key;
    }

    /** Stable snake_case name used in reports, metrics and quarantine files. */
    public String key() {
        return key;
    }
}
