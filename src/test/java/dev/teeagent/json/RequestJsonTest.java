package dev.teeagent.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestJsonTest {
  private final ObjectMapper bounded = RequestJson.bounded(1_000, 8);

  private static byte[] utf8(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void namesTheMemberWhoseStringHoldsALoneSurrogate() throws Exception {
    assertThat(
            RequestJson.firstLoneSurrogate(
                bounded, utf8("{\"messages\":[{\"role\":\"user\"},{\"content\":\"a\\ud800\"}]}")))
        .contains("messages[1].content");
    assertThat(RequestJson.firstLoneSurrogate(bounded, utf8("[\"ok\",\"\\udc00x\"]")))
        .contains("[1]");
    assertThat(RequestJson.firstLoneSurrogate(bounded, utf8("\"\\ud800\""))).contains("(the body)");
  }

  @Test
  void aMemberNameWithALoneSurrogateIsRefusedByTheParserItself() {
    // Jackson's byte parser refuses a broken pair in a name; the scan leaves it to report.
    assertThatThrownBy(() -> bounded.readTree(utf8("{\"a\":{\"b\\ud800\":1}}")))
        .isInstanceOf(com.fasterxml.jackson.core.JsonParseException.class)
        .hasMessageContaining("surrogate");
  }

  @Test
  void pairsEscapedOrRawAreWellFormed() throws Exception {
    assertThat(RequestJson.firstLoneSurrogate(bounded, utf8("{\"e\":\"\\ud83d\\ude80 🚀 ✓\"}")))
        .isEmpty();
  }

  @Test
  void malformedJsonIsLeftToTheMapperToReport() throws Exception {
    assertThat(RequestJson.firstLoneSurrogate(bounded, utf8("{\"a\":"))).isEmpty();
  }

  @Test
  void tokensAndDepthAreBounded() {
    String wide = "[" + "{},".repeat(600) + "{}]";
    assertThatThrownBy(() -> RequestJson.firstLoneSurrogate(bounded, utf8(wide)))
        .isInstanceOf(StreamConstraintsException.class);
    assertThatThrownBy(() -> bounded.readTree(wide)).isInstanceOf(StreamConstraintsException.class);
    String deep = "[".repeat(9) + "]".repeat(9);
    assertThatThrownBy(() -> RequestJson.firstLoneSurrogate(bounded, utf8(deep)))
        .isInstanceOf(StreamConstraintsException.class);
    JsonNode fits = null;
    try {
      fits = bounded.readTree("[" + "{},".repeat(400) + "{}]");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(fits.size()).isEqualTo(401);
  }
}
