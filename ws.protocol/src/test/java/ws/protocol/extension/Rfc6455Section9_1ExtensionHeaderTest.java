package ws.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 section 9.1: the grammar of {@code Sec-WebSocket-Extensions}, with the RFC 7692 examples. */
class Rfc6455Section9_1ExtensionHeaderTest {

    private static List<ExtensionParameters> parse(String... values) {
        return ExtensionParameters.parseAll(List.of(values));
    }

    private static ExtensionParameters pmd() {
        return new ExtensionParameters("permessage-deflate");
    }

    @Nested
    class Valid {
        @Test
        void oneExtensionWithoutParameters() {
            assertEquals(List.of(pmd()), parse("permessage-deflate"));
        }

        @Test
        void rfc7692Section5_2Offers() {
            // RFC 7692 section 5.2 (and 7.1.2.1 / 7.1.2.2): two offers, the first with parameters
            assertEquals(List.of(pmd().with("client_max_window_bits", null).with("server_max_window_bits", "10"), pmd()),
                    parse("permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate"));
        }

        @Test
        void rfc7692Section7Examples() {
            assertEquals(List.of(pmd().with("server_no_context_takeover", null).with("client_no_context_takeover", null)),
                    parse("permessage-deflate; server_no_context_takeover; client_no_context_takeover"));
            assertEquals(List.of(pmd().with("client_max_window_bits", "10"), pmd()),
                    parse("permessage-deflate; client_max_window_bits=10, permessage-deflate"));
            assertEquals(List.of(pmd().with("server_max_window_bits", "10"), pmd().with("server_max_window_bits", "11")),
                    parse("permessage-deflate;server_max_window_bits=10,permessage-deflate;server_max_window_bits=11"));
        }

        @Test
        void quotedValuesAreUnquoted() {
            assertEquals(List.of(pmd().with("client_max_window_bits", "10")), parse("permessage-deflate; client_max_window_bits=\"10\""));
            assertEquals("abc", parse("x; p=\"a\\bc\"").get(0).value("p").orElseThrow());
        }

        @Test
        void owsAroundSeparators() {
            assertEquals(List.of(pmd().with("a", "1").with("b", null), new ExtensionParameters("x")),
                    parse("  permessage-deflate \t;\ta = 1 ; b\t ,  x  "));
            assertEquals(List.of(pmd().with("a", "1")), parse("permessage-deflate; a= \"1\" "));
        }

        @Test
        void severalHeaderLinesInOrder() {
            assertEquals(List.of(new ExtensionParameters("a"), new ExtensionParameters("b").with("c", "d"), new ExtensionParameters("e")),
                    parse("a", "b; c=d, e"));
        }

        @Test
        void emptyElementsAndEmptyValuesAreSkipped() {
            assertEquals(List.of(new ExtensionParameters("a"), new ExtensionParameters("b")), parse(", a ,, b ,", "", "  "));
            assertEquals(List.of(), parse());
            assertEquals(List.of(), parse(""));
        }

        @Test
        void duplicateParametersAreKept() {
            ExtensionParameters parsed = parse("permessage-deflate; server_max_window_bits=10; server_max_window_bits=11").get(0);
            assertEquals(2, parsed.parameters().size());
            assertEquals("10", parsed.value("server_max_window_bits").orElseThrow());
        }

        @Test
        void aValuelessParameterHasANullValue() {
            ExtensionParameters parsed = parse("permessage-deflate; client_no_context_takeover").get(0);
            assertNull(parsed.parameters().get(0).value());
            assertTrue(parsed.has("CLIENT_NO_CONTEXT_TAKEOVER"));
        }

        @Test
        void formatParsesBack() {
            List<ExtensionParameters> extensions = List.of(pmd().with("client_max_window_bits", null).with("server_max_window_bits", "10"),
                    new ExtensionParameters("x-webkit-deflate-frame"), pmd());
            assertEquals(extensions, ExtensionParameters.parseAll(List.of(ExtensionParameters.formatAll(extensions))));
        }
    }

    @Nested
    class Invalid {
        @ParameterizedTest(name = "\"{0}\" fails at index {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "; foo|0|an extension name",
                "foo;|4|a parameter name",
                "`foo; `|5|a parameter name",
                "foo;;bar|4|a parameter name",
                "foo; =1|5|a parameter name",
                "foo; a=|7|a value",
                "foo; a= ;b|8|a value",
                "foo; a=@|7|a value",
                "foo bar|4|';', ',' or the end",
                "foo; a=b c|9|';', ',' or the end",
                "foo, bar=1|8|';', ',' or the end",
                "foo; a=\"\"|7|a non-empty quoted value",
                "foo; a=\"1 0\"|9|a token character",
                "foo; a=\"1,0\"|9|a token character",
                "foo; a=\"10|10|a closing",
                "foo; a=\"10\\|11|a character after",
                "foo; a=\"10\"x|11|';', ',' or the end",
                "f\u00f6o|1|';', ',' or the end",
                "foo/1|3|';', ',' or the end",
                "\"foo\"|0|an extension name",
        })
        void syntaxErrorsNamePositionAndExpectation(String value, int index, String expected) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(value));
            assertTrue(e.getMessage().contains("at index " + index + ":"), e.getMessage());
            assertTrue(e.getMessage().contains("expected " + expected), e.getMessage());
        }

        @Test
        void theFailingHeaderLineIsNamed() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("a", "b;"));
            assertTrue(e.getMessage().contains("header 2 of 2"), e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {",;", "a;b;", "a,,b;=", "a; b=c=d", "a; b=\"c\"\"d\""})
        void moreInvalidValues(String value) {
            assertThrows(IllegalArgumentException.class, () -> parse(value));
        }
    }
}
