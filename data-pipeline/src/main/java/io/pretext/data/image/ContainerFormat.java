package io.pretext.data.image;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Image containers recognised by their leading bytes, with a structural walk that finds files
 * that end early. ImageIO decodes many truncated files without complaint (grey or garbage bottom
 * rows), so completeness is checked on the container itself before decoding.
 */
enum ContainerFormat {
    PNG("png", true),
    JPEG("jpeg", true),
    GIF("gif", true),
    BMP("bmp", true),
    TIFF("tiff", true),
    WEBP("webp", false),
    HEIF("heif/avif", false),
    JPEG2000("jpeg2000", false),
    JPEG_XL("jpeg-xl", false);

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    private static final byte[] JP2_SIGNATURE = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' '};
    private static final byte[] JXL_CONTAINER = {0, 0, 0, 0x0C, 'J', 'X', 'L', ' '};

    private final String displayName;
    private final boolean supported;

    ContainerFormat(String displayName, boolean supported) {
        this.displayName = displayName;
        this.supported = supported;
    }

    /** Name ImageIO knows the format by, and the name used in messages. */
    String displayName() {
        return displayName;
    }

    boolean supported() {
        return supported;
    }

    /** The container the bytes start with, or {@code null} when no known image signature matches. */
    static ContainerFormat sniff(byte[] b) {
        if (startsWith(b, PNG_SIGNATURE)) {
            return PNG;
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        if (startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"))) {
            return GIF;
        }
        if (b.length >= 14 && b[0] == 'B' && b[1] == 'M') {
            return BMP;
        }
        if (startsWith(b, new byte[] {'I', 'I', 42, 0}) || startsWith(b, new byte[] {'M', 'M', 0, 42})) {
            return TIFF;
        }
        if (b.length >= 12 && startsWith(b, ascii("RIFF")) && regionIs(b, 8, "WEBP")) {
            return WEBP;
        }
        if (b.length >= 12 && regionIs(b, 4, "ftyp")) {
            String brand = new String(b, 8, 4, StandardCharsets.ISO_8859_1);
            if (brand.matches("hei[cxms]|hev[cxms]|mif1|msf1|avif|avis")) {
                return HEIF;
            }
        }
        if (startsWith(b, JP2_SIGNATURE) || (b.length >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0x4F
                && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x51)) {
            return JPEG2000;
        }
        if (startsWith(b, JXL_CONTAINER) || (b.length >= 2 && (b[0] & 0xFF) == 0xFF && b[1] == 0x0A)) {
            return JPEG_XL;
        }
        return null;
    }

    /**
     * Walks the container. Returns {@code null} when it is complete, else the reject:
     * {@link RejectReason#TRUNCATED} when the data stops early, {@link RejectReason#UNDECODABLE} when the
     * structure is broken.
     */
    ImageReject check(String id, byte[] b) {
        return switch (this) {
            case PNG -> checkPng(id, b);
            case JPEG -> checkJpeg(id, b);
            case GIF -> checkGif(id, b);
            case BMP -> checkBmp(id, b);
            default -> null;
        };
    }

    private static ImageReject checkPng(String id, byte[] b) {
        CRC32 crc = new CRC32();
        long pos = PNG_SIGNATURE.length;
        boolean first = true;
        while (true) {
            if (pos + 8 > b.length) {
                return truncated(id, "PNG ends after " + b.length + " bytes without an IEND chunk");
            }
            int at = (int) pos;
            long length = u32be(b, at);
            if (!isChunkType(b, at + 4)) {
                return broken(id, "PNG chunk at byte " + at + " has an invalid type");
            }
            String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (first && (!type.equals("IHDR") || length != 13)) {
                return broken(id, "PNG does not start with a 13-byte IHDR chunk (found " + type + ")");
            }
            if (length > Integer.MAX_VALUE) {
                return broken(id, "PNG chunk " + type + " at byte " + at + " declares " + length + " bytes");
            }
            long end = pos + 12 + length;
            if (end > b.length) {
                return truncated(id, "PNG chunk " + type + " at byte " + at + " needs " + (end - pos)
                        + " bytes, only " + (b.length - pos) + " left");
            }
            crc.reset();
            crc.update(b, at + 4, (int) length + 4);
            if (crc.getValue() != u32be(b, (int) (end - 4))) {
                return broken(id, "PNG chunk " + type + " at byte " + at + " fails its CRC check");
            }
            if (type.equals("IEND")) {
                return null;
            }
            first = false;
            pos = end;
        }
    }

    private static ImageReject checkJpeg(String id, byte[] b) {
        int pos = 2;
        while (true) {
            if (pos >= b.length) {
                return truncated(id, "JPEG ends after " + b.length + " bytes without an EOI marker");
            }
            if ((b[pos] & 0xFF) != 0xFF) {
                return broken(id, "JPEG expects a marker at byte " + pos);
            }
            while (pos < b.length && (b[pos] & 0xFF) == 0xFF) {
                pos++; // fill bytes before a marker
            }
            if (pos >= b.length) {
                return truncated(id, "JPEG ends after " + b.length + " bytes without an EOI marker");
            }
            int marker = b[pos++] & 0xFF;
            if (marker == 0xD9) {
                return null;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // markers without a length field
            }
            if (pos + 2 > b.length) {
                return truncated(id, "JPEG ends inside the header of marker 0x" + Integer.toHexString(marker));
            }
            int segment = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            if (segment < 2) {
                return broken(id, "JPEG marker 0x" + Integer.toHexString(marker) + " at byte " + (pos - 2)
                        + " has length " + segment);
            }
            if (pos + segment > b.length) {
                return truncated(id, "JPEG segment 0x" + Integer.toHexString(marker) + " at byte " + (pos - 2)
                        + " needs " + segment + " bytes, only " + (b.length - pos) + " left");
            }
            pos += segment;
            if (marker == 0xDA) {
                pos = skipEntropyCoded(b, pos);
                if (pos < 0) {
                    return truncated(id, "JPEG ends inside scan data after " + b.length + " bytes, without an EOI marker");
                }
            }
        }
    }

    /** Index of the marker that ends the entropy-coded data starting at {@code pos}, or -1 at end of data. */
    private static int skipEntropyCoded(byte[] b, int pos) {
        int n = b.length - 1;
        while (pos < n) {
            if ((b[pos] & 0xFF) != 0xFF) {
                pos++;
                continue;
            }
            int next = b[pos + 1] & 0xFF;
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                pos += 2; // stuffed byte or restart marker: still scan data
            } else if (next == 0xFF) {
                pos++; // fill byte
            } else {
                return pos;
            }
        }
        return -1;
    }

    private static ImageReject checkGif(String id, byte[] b) {
        if (b.length < 13) {
            return truncated(id, "GIF ends inside its header after " + b.length + " bytes");
        }
        long pos = 13;
        if ((b[10] & 0x80) != 0) {
            pos += 3L << ((b[10] & 7) + 1); // global colour table
        }
        while (true) {
            if (pos >= b.length) {
                return truncated(id, "GIF ends after " + b.length + " bytes without its trailer");
            }
            int block = b[(int) pos] & 0xFF;
            if (block == 0x3B) {
                return null;
            } else if (block == 0x21) {
                pos = skipSubBlocks(b, pos + 2);
            } else if (block == 0x2C) {
                if (pos + 10 > b.length) {
                    return truncated(id, "GIF ends inside an image descriptor");
                }
                int flags = b[(int) pos + 9] & 0xFF;
                pos += 10;
                if ((flags & 0x80) != 0) {
                    pos += 3L << ((flags & 7) + 1); // local colour table
                }
                pos = skipSubBlocks(b, pos + 1); // +1: LZW minimum code size
            } else {
                return broken(id, "GIF has an unknown block 0x" + Integer.toHexString(block) + " at byte " + pos);
            }
            if (pos < 0) {
                return truncated(id, "GIF ends inside a data block after " + b.length + " bytes");
            }
        }
    }

    /** Position after the data sub-blocks starting at {@code pos}, or -1 when the data ends first. */
    private static long skipSubBlocks(byte[] b, long pos) {
        while (true) {
            if (pos >= b.length) {
                return -1;
            }
            int n = b[(int) pos] & 0xFF;
            pos += 1 + n;
            if (n == 0) {
                return pos;
            }
        }
    }

    private static ImageReject checkBmp(String id, byte[] b) {
        long declared = u32le(b, 2);
        long pixelOffset = u32le(b, 10);
        if (pixelOffset > b.length) {
            return truncated(id, "BMP pixel data starts at byte " + pixelOffset + ", file has " + b.length);
        }
        if (b.length >= 34 && u32le(b, 14) >= 40) {
            long width = Math.abs((long) (int) u32le(b, 18));
            long height = Math.abs((long) (int) u32le(b, 22));
            int bitsPerPixel = ((b[29] & 0xFF) << 8) | (b[28] & 0xFF);
            long compression = u32le(b, 30);
            if (compression == 0) { // BI_RGB: rows of 4-byte-aligned size
                long need = pixelOffset + ((bitsPerPixel * width + 31) / 32) * 4 * height;
                if (need > b.length) {
                    return truncated(id, "BMP pixel data needs " + need + " bytes, file has " + b.length);
                }
                return null;
            }
        }
        if (declared > b.length) {
            return truncated(id, "BMP header declares " + declared + " bytes, file has " + b.length);
        }
        return null;
    }

    private static ImageReject truncated(String id, String detail) {
        return new ImageReject(id, RejectReason.TRUNCATED, detail);
    }

    private static ImageReject broken(String id, String detail) {
        return new ImageReject(id, RejectReason.UNDECODABLE, detail);
    }

    private static boolean isChunkType(byte[] b, int at) {
        for (int i = at; i < at + 4; i++) {
            int c = b[i];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    private static long u32be(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static long u32le(byte[] b, int at) {
        return ((long) (b[at + 3] & 0xFF) << 24) | ((b[at + 2] & 0xFF) << 16) | ((b[at + 1] & 0xFF) << 8) | (b[at] & 0xFF);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean regionIs(byte[] b, int at, String ascii) {
        return b.length >= at + ascii.length()
                && new String(b, at, ascii.length(), StandardCharsets.ISO_8859_1).equals(ascii);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
