package io.pretext.jobs.report;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text and attribute values written through {@link Html} come back out of a real HTML parser unchanged. */
class HtmlTest {

    record Case(String name, String text) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("markup", "<img src=x onerror=alert(1)>"),
                new Case("closing tags", "</td></tr></table><script>alert('x')</script>"),
                new Case("quotes", "a \"quoted\" 'value'"),
                new Case("entities", "&lt; is not < and &amp; is &"),
                new Case("unicode", "Größe · 大きさ · ✓"),
                new Case("plain", "loss=3.4120"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void textSurvivesAsText(Case c) {
        Html h = new Html();
        h.start("html").start("body").element("p", c.text(), "id", "p").end("body").end("html");
        Document doc = Jsoup.parse(h.toString());
        assertEquals(c.text(), doc.getElementById("p").wholeText());
        assertTrue(doc.select("script, img").isEmpty());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void attributeValuesSurviveAsValues(Case c) {
        Html h = new Html();
        h.start("html").start("body").element("p", "x", "id", "p", "title", c.text()).end("body").end("html");
        Document doc = Jsoup.parse(h.toString());
        assertEquals(c.text(), doc.getElementById("p").attr("title"));
        assertEquals(1, doc.select("body *").size());
    }
}
