package dev.teeagent.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class WellFormedTest {
  private final ObjectMapper mapper = JsonMappers.strict();

  @Test
  void findsOnlyUnpairedSurrogates() {
    assertThat(WellFormed.hasLoneSurrogate("🚀 \uD834\uDD1E plain")).isFalse();
    assertThat(WellFormed.hasLoneSurrogate("end \uD83D")).isTrue();
    assertThat(WellFormed.hasLoneSurrogate("\uDE80 start")).isTrue();
    assertThat(WellFormed.hasLoneSurrogate("\uDE80\uD83D")).isTrue(); // reversed pair
  }

  @Test
  void replacesEachLoneSurrogateByTheReplacementCharacterAndKeepsPairs() {
    assertThat(WellFormed.replaceLoneSurrogates("a\uD800b🚀\uDC00")).isEqualTo("a\uFFFDb🚀\uFFFD");
    assertThat(WellFormed.replaceLoneSurrogates("plain")).isEqualTo("plain");
  }

  @Test
  void repairsStringsAndMemberNamesThroughoutATree() {
    ObjectNode tree = mapper.createObjectNode();
    tree.put("text", "cut \uD83D");
    tree.putArray("list").add("ok").add("\uDC00").addObject().put("k\uD800", "v");
    tree.putObject("nested").put("n", 1).put("s", "fine 🚀");

    WellFormed.repair(tree);

    assertThat(tree.toString())
        .isEqualTo(
            "{\"text\":\"cut \uFFFD\",\"list\":[\"ok\",\"\uFFFD\",{\"k\uFFFD\":\"v\"}],"
                + "\"nested\":{\"n\":1,\"s\":\"fine 🚀\"}}");
  }
}
