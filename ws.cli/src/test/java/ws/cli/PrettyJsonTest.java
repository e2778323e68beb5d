package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** JSON objects and arrays indented for the screen; everything else left as it came. */
class PrettyJsonTest {
    @Test
    void anObjectIsIndentedTwoSpacesALevelWithOneMemberALine() {
        assertEquals(Optional.of("""
                {
                  "user": "ann",
                  "tags": [
                    "a",
                    "b"
                  ],
                  "address": {
                    "city": "Oslo"
                  }
                }"""), PrettyJson.indent("{\"user\":\"ann\",\"tags\":[\"a\",\"b\"],\"address\":{\"city\":\"Oslo\"}}"));
    }

    @Test
    void anArrayAtTheTopAndSurroundingWhitespaceAreFine() {
        assertEquals(Optional.of("[\n  1,\n  true,\n  null\n]"), PrettyJson.indent("  [1, true,null]\n"));
    }

    @Test
    void emptyContainersStayOnTheirLine() {
        assertEquals(Optional.of("{\n  \"a\": {},\n  \"b\": []\n}"), PrettyJson.indent("{\"a\":{},\"b\":[]}"));
    }

    @Test
    void numbersKeepTheirExactTextAndKeysTheirOrderAndDuplicates() {
        assertEquals(Optional.of("{\n  \"z\": 1.50,\n  \"a\": 123456789012345678901234567890,\n  \"z\": -0.1e-7\n}"),
                PrettyJson.indent("{\"z\":1.50,\"a\":123456789012345678901234567890,\"z\":-0.1e-7}"));
    }

    @Test
    void escapesInStringsAreKept() {
        assertEquals(Optional.of("{\n  \"q\": \"say \\\"hi\\\"\\n\",\n  \"u\": \"é✓\"\n}"),
                PrettyJson.indent("{\"q\":\"say \\\"hi\\\"\\n\",\"u\":\"é✓\"}"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"hello", "", "   ", "\"a JSON string\"", "42", "true", "{", "{\"a\":", "[1,2", "{\"a\":1}}",
            "{\"a\":1} trailing", "[1] [2]", "{a:1}", "[NaN]", "{\"a\":1,}", "[1,]"})
    void anythingButOneWholeObjectOrArrayIsLeftAsItCame(String text) {
        assertEquals(Optional.empty(), PrettyJson.indent(text));
    }

    @Test
    void nestingIsBounded() {
        int allowed = PrettyJson.MAX_DEPTH;
        assertEquals(true, PrettyJson.indent("[".repeat(allowed) + "]".repeat(allowed)).isPresent());
        assertEquals(Optional.empty(), PrettyJson.indent("[".repeat(allowed + 1) + "]".repeat(allowed + 1)));
        assertEquals(Optional.empty(), PrettyJson.indent("[".repeat(100_000)), "a hostile message: no stack overflow, no indentation");
    }
}
