package io.pretext.jobs.report;

import java.util.Base64;

/**
 * A small HTML writer that escapes every piece of text and every attribute value it is given; markup enters
 * only through {@link #raw(String)}, for constants of this package.
 */
final class Html {

    private final StringBuilder out = new StringBuilder(64 * 1024);

    /** Escapes text for element content and double-quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A {@code data:} URI of PNG bytes, so that images travel inside the page. */
    static String pngDataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** Opens {@code tag} with attributes given as name, value pairs; a null value leaves the attribute out. */
    Html start(String tag, String... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalStateException("attributes of <" + tag + "> must come in name, value pairs");
        }
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
            }
        }
        out.append('>');
        return this;
    }

    Html end(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    Html text(String text) {
        out.append(escape(text));
        return this;
    }

    /** {@code <tag attributes>text</tag>}. */
    Html element(String tag, String text, String... attributes) {
        return start(tag, attributes).text(text).end(tag);
    }

    /** An image embedded as a data URI. */
    Html image(byte[] png, String alt, String... attributes) {
        String[] all = new String[attributes.length + 4];
        all[0] = "src";
        all[1] = pngDataUri(png);
        all[2] = "alt";
        all[3] = alt;
        System.arraycopy(attributes, 0, all, 4, attributes.length);
        start("img", all);
        return this;
    }

    /** Markup written as is: only constants of this package, never data. */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    Html newline() {
        out.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
