package dev.teeagent.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/**
 * {@link Jcs} walks Jackson's tree itself; the reference implementation (erdtman's
 * JsonCanonicalizer, re-parsing the text) is the oracle it must equal, byte for byte.
 */
class JcsReferenceTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] PIECES = {
    "a",
    "Z",
    "0",
    " ",
    "\"",
    "\\",
    "/",
    "\b",
    "\f",
    "\n",
    "\r",
    "\t",
    "\u0000",
    "\u0001",
    "\u001f",
    "\u007f",
    "\u0080",
    "é",
    "ö",
    "€",
    "\u2028",
    "\u2029",
    "\uD83D\uDE00",
    "\uD834\uDD1E",
    "\ufb33",
    "\uffff",
    "key",
    "κλειδί",
    "鍵"
  };
  private static final double[] NUMBERS = {
    0,
    -0.0,
    1,
    -1,
    0.1,
    0.5,
    1.5,
    2.5e-3,
    1e21,
    1e20,
    9.999999999999999e20,
    1e-6,
    1e-7,
    123456789.123456789,
    333333333.33333329,
    4.5,
    1e30,
    1e-27,
    5e-324,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    9007199254740991d,
    9007199254740993d,
    1.7976931348623157e308,
    295147905179352830000d
  };

  @Test
  void equalsTheReferenceImplementationOnThousandsOfRandomDocuments() throws Exception {
    Random random = new Random(8785);
    for (int i = 0; i < 3000; i++) {
      // The reference canonicalizer takes an object or an array at the top.
      JsonNode tree = NODES.objectNode().set(randomText(random), randomValue(random, 0));
      String text = MAPPER.writeValueAsString(tree);
      byte[] reference = new JsonCanonicalizer(text).getEncodedUTF8();
      assertThat(new String(Jcs.canonicalize(tree), StandardCharsets.UTF_8))
          .as(text)
          .isEqualTo(new String(reference, StandardCharsets.UTF_8));
      assertThat(Jcs.canonicalize(text)).isEqualTo(reference);
    }
  }

  @Test
  void escapesLoneSurrogatesAsJavaScriptsJsonStringifyDoes() {
    assertThat(new String(Jcs.canonicalize("[\"\\ud800x\",\"y\\udfff\"]"), StandardCharsets.UTF_8))
        .isEqualTo("[\"\\ud800x\",\"y\\udfff\"]");
  }

  private static JsonNode randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 3 ? 5 : 7);
    return switch (kind) {
      case 0 -> NODES.textNode(randomText(random));
      case 1 ->
          NODES.numberNode(
              NUMBERS[random.nextInt(NUMBERS.length)] * (random.nextBoolean() ? 1 : -1));
      case 2 -> NODES.numberNode(random.nextLong() >> random.nextInt(64));
      case 3 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(60) - 30));
      case 4 -> random.nextBoolean() ? NODES.booleanNode(random.nextBoolean()) : NODES.nullNode();
      case 5 -> {
        ArrayNode array = NODES.arrayNode();
        for (int i = random.nextInt(5); i > 0; i--) {
          array.add(randomValue(random, depth + 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(6); i > 0; i--) {
          object.set(randomText(random), randomValue(random, depth + 1));
        }
        yield object;
      }
    };
  }

  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(6); i > 0; i--) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return text.toString();
  }
}
