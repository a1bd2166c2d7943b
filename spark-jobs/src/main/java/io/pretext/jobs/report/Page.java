package io.pretext.jobs.report;

import io.pretext.jobs.Version;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The frame shared by the report pages: document head with the style sheet, header, footer. */
final class Page {

    /** The whole style sheet: the pages load nothing from elsewhere. */
    private static final String CSS = """
            *{box-sizing:border-box}
            body{margin:0;background:#f3f4f6;color:#1f2328;
              font:14px/1.5 system-ui,-apple-system,"Segoe UI","DejaVu Sans",Arial,sans-serif}
            header{background:#1f2a37;color:#fff;padding:22px 0 14px}
            .wrap{max-width:1320px;margin:0 auto;padding:0 28px}
            header h1{margin:0;font-size:24px;font-weight:650;letter-spacing:.2px}
            header .sub{color:#c7d0db;margin-top:4px;word-break:break-all}
            header nav{margin-top:12px}
            header nav a{color:#9ecbff;text-decoration:none;margin-right:18px;font-size:13px}
            main.wrap{padding-top:20px;padding-bottom:28px}
            section{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:18px 22px;margin:0 0 18px}
            h2{font-size:18px;margin:0 0 12px}
            h3{font-size:15px;margin:16px 0 8px}
            p.note,figcaption,.muted{color:#57606a;font-size:13px}
            .tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:0 0 18px}
            .tile{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:12px 16px}
            .tile .label{font-size:12.5px;font-weight:600;color:#57606a}
            .tile .value{font-size:22px;font-weight:650;margin-top:2px;font-variant-numeric:tabular-nums}
            .tile .note{font-size:12px;color:#57606a}
            table{border-collapse:collapse;width:100%}
            table.compact{width:auto;min-width:50%}
            th,td{padding:6px 10px;border-bottom:1px solid #eaecef;text-align:left;vertical-align:top}
            thead th{font-size:12.5px;color:#57606a;font-weight:600;border-bottom:2px solid #e1e4e8}
            table.kv th{width:210px;color:#57606a;font-weight:600}
            td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            td.mono,span.mono{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px;
              word-break:break-all}
            .better{color:#116329;font-weight:600}
            .worse{color:#b42318;font-weight:600}
            .pill{display:inline-block;padding:1px 10px;border-radius:999px;font-size:12px;font-weight:600;
              vertical-align:middle;margin-left:8px}
            .pill.done{background:#dafbe1;color:#116329}
            .pill.open{background:#fff1c2;color:#7a4b00}
            .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:16px}
            figure{margin:0}
            figure img{display:block;max-width:100%;height:auto;border:1px solid #eaecef;border-radius:6px}
            figure.picture img{image-rendering:pixelated}
            figcaption{margin-top:6px}
            .columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:18px}
            pre{background:#f6f8fa;border:1px solid #eaecef;border-radius:6px;padding:12px 14px;margin:0;overflow:auto;
              font:12.5px/1.45 "DejaVu Sans Mono",Menlo,Consolas,monospace}
            footer{color:#57606a;font-size:12px;padding:0 0 28px}
            """;

    private Page() {
    }

    /**
     * Opens the document up to the start of {@code <main>}.
     *
     * @param anchors pairs of (section id, link text) for the navigation line
     */
    static void open(Html h, String title, String heading, String pill, boolean done, String subtitle,
                     List<String[]> anchors) {
        h.raw("<!DOCTYPE html>").newline();
        h.start("html", "lang", "en").newline();
        h.start("head").raw("<meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<meta name=\"generator\" content=\"").text("pretext " + Version.pretext()).raw("\">")
                .element("title", title).newline()
                .start("style").raw(CSS).end("style").end("head").newline();
        h.start("body").start("header").start("div", "class", "wrap");
        h.start("h1").text(heading);
        if (pill != null) {
            h.element("span", pill, "class", done ? "pill done" : "pill open");
        }
        h.end("h1");
        h.element("div", subtitle, "class", "sub");
        h.start("nav");
        for (String[] anchor : anchors) {
            h.element("a", anchor[1], "href", "#" + anchor[0]);
        }
        h.end("nav").end("div").end("header").newline();
        h.start("main", "class", "wrap").newline();
    }

    static void close(Html h) {
        h.end("main").newline();
        h.start("footer").start("div", "class", "wrap")
                .text("Generated by pretext " + Version.pretext() + " on "
                        + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z",
                        Locale.ROOT)) + ". Self-contained: the pictures are embedded, nothing is fetched.")
                .end("div").end("footer").newline();
        h.end("body").end("html").newline();
    }

    /** A figure with a caption, the picture embedded. */
    static void figure(Html h, byte[] png, String alt, String caption, String cssClass) {
        h.start("figure", "class", cssClass).image(png, alt);
        if (caption != null && !caption.isEmpty()) {
            h.element("figcaption", caption);
        }
        h.end("figure").newline();
    }

    /** A key/value row of a {@code kv} table; {@code key} also becomes the row's data-key. */
    static void row(Html h, String label, String value, String dataKey) {
        h.start("tr", "data-key", dataKey).element("th", label).element("td", value).end("tr");
    }

    static void tile(Html h, String label, String value, String note, String dataKey) {
        h.start("div", "class", "tile").element("div", label, "class", "label")
                .element("div", value, "class", "value", "data-key", dataKey);
        if (note != null && !note.isEmpty()) {
            h.element("div", note, "class", "note");
        }
        h.end("div");
    }
}
