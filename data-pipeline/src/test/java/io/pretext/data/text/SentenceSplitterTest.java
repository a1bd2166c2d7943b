package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SentenceSplitterTest {

    record Case(String name, String text, List<String> sentences) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("period, exclamation and question marks end sentences", "It rained. Did it? Yes! Then sun.",
                        List.of("It rained.", "Did it?", "Yes!", "Then sun.")),
                new Case("a lower-case word after a period continues the sentence", "The price is 3 p. per lb. or less.",
                        List.of("The price is 3 p. per lb. or less.")),
                new Case("titles do not end sentences", "Mr. Smith met Dr. Jones and Gen. Grant.",
                        List.of("Mr. Smith met Dr. Jones and Gen. Grant.")),
                new Case("initials do not end sentences", "John F. Kennedy spoke. He left.",
                        List.of("John F. Kennedy spoke.", "He left.")),
                new Case("initialisms do not end sentences", "The U.S. Congress met. E.g. This stays.",
                        List.of("The U.S. Congress met.", "E.g. This stays.")),
                new Case("closing quotes stay with their sentence", "He said \"Go.\" Then he went.",
                        List.of("He said \"Go.\"", "Then he went.")),
                new Case("an opening quote before the capital still splits", "It ended. \"Why?\" she asked.",
                        List.of("It ended.", "\"Why?\" she asked.")),
                new Case("runs of marks and ellipses end sentences", "Really?! Wait... Now.",
                        List.of("Really?!", "Wait...", "Now.")),
                new Case("decimals and versions are not ends", "Growth was 3.5 percent in v2.0 here.",
                        List.of("Growth was 3.5 percent in v2.0 here.")),
                new Case("line breaks end sentences and blank lines vanish", "First line\n\n  Second line  \r\nThird",
                        List.of("First line", "Second line", "Third")),
                new Case("a period before a digit does not split", "See no. 5. 6 more follow.",
                        List.of("See no. 5. 6 more follow.")),
                new Case("blank text has no sentences", " \n\t\n", List.of()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void splitsByTheStatedRules(Case c) {
        assertEquals(c.sentences(), SentenceSplitter.split(c.text()));
    }
}
