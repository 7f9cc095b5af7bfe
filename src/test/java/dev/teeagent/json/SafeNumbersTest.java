package dev.teeagent.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SafeNumbersTest {
  private final ObjectMapper mapper = JsonMappers.strict();

  @Test
  void turnsIntegersBeyondTwoToTheFiftyThreeIntoStringsAtAnyDepth() throws Exception {
    JsonNode tree =
        mapper.readTree(
            "{\"a\":9007199254740993,\"b\":[1,-9007199254740993,{\"c\":123456789012345678901234567890}],"
                + "\"d\":9007199254740992,\"e\":1.5,\"f\":\"x\"}");
    SafeNumbers.makeSafe(tree);
    assertThat(mapper.writeValueAsString(tree))
        .isEqualTo(
            "{\"a\":\"9007199254740993\",\"b\":[1,\"-9007199254740993\",{\"c\":\"123456789012345678901234567890\"}],"
                + "\"d\":9007199254740992,\"e\":1.5,\"f\":\"x\"}");
  }

  @Test
  void writesBigIntegersAsDecimalStrings() throws Exception {
    record Amount(java.math.BigInteger weiValue) {}
    assertThat(mapper.writeValueAsString(new Amount(java.math.BigInteger.TEN.pow(30))))
        .isEqualTo("{\"wei_value\":\"1000000000000000000000000000000\"}");
  }
}
