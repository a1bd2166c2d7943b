package io.pretext.data.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CsvLineTest {

    record Case(String line, char delimiter, List<String> fields) {
    }

    static Stream<Case> lines() {
        return Stream.of(
                new Case("a,b,c", ',', List.of("a", "b", "c")),
                new Case(" a , b ,c ", ',', List.of("a", "b", "c")),
                new Case("a,,c,", ',', List.of("a", "", "c", "")),
                new Case("", ',', List.of("")),
                new Case("\"x, y\",2", ',', List.of("x, y", "2")),
                new Case("\"say \"\"hi\"\"\",1", ',', List.of("say \"hi\"", "1")),
                new Case(" \" padded \" ,1", ',', List.of(" padded ", "1")),
                new Case("1;2,5;3", ';', List.of("1", "2,5", "3")),
                new Case("1\t2\t 3", '\t', List.of("1", "2", "3")));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void splitsFields(Case c) {
        assertEquals(c.fields(), CsvLine.split(c.line(), c.delimiter()));
    }

    static Stream<String> malformed() {
        return Stream.of("\"open,1", "ab\"c,1", "\"x\"y,1");
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesMisplacedQuotes(String line) {
        assertNull(CsvLine.split(line, ','));
    }
}
