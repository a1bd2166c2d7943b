package io.pretext.data.features;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into fields (RFC 4180 within a line): a field may be quoted with {@code "}, a
 * doubled quote inside quotes is one quote, and a quoted field may hold the delimiter. Unquoted fields
 * are trimmed; quoted ones are kept as written. A quoted field cannot span lines.
 */
final class CsvLine {

    private CsvLine() {
    }

    /** The fields of {@code line}, or {@code null} when a quote is not closed or text follows a closing quote. */
    static List<String> split(String line, char delimiter) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            // at the start of a field
            int start = i;
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                i++;
                field.setLength(0);
                boolean closed = false;
                while (i < n) {
                    char ch = line.charAt(i++);
                    if (ch == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        field.append(ch);
                    }
                }
                if (!closed) {
                    return null;
                }
                while (i < n && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) != delimiter) {
                    return null;
                }
                fields.add(field.toString());
            } else {
                i = start;
                while (i < n && line.charAt(i) != delimiter) {
                    if (line.charAt(i) == '"') {
                        return null;
                    }
                    i++;
                }
                fields.add(line.substring(start, i).trim());
            }
            if (i >= n) {
                return fields;
            }
            i++; // the delimiter
        }
    }
}
