package dev.teeagent.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Uint256Test {
  private final ObjectMapper mapper = JsonMappers.strict();

  record Holder(Uint256 n) {}

  @ParameterizedTest
  @CsvSource({
    "'\"0\"', 0",
    "'\"42\"', 42",
    "'\"0x2a\"', 42",
    "42, 42",
    "9007199254740992, 9007199254740992",
    "'\"115792089237316195423570985008687907853269984665640564039457584007913129639935\"', 115792089237316195423570985008687907853269984665640564039457584007913129639935"
  })
  void acceptsDecimalHexAndSafeIntegers(String json, String expected) throws Exception {
    assertThat(mapper.readValue("{\"n\":" + json + "}", Holder.class).n().value())
        .isEqualTo(new BigInteger(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-1",
        "9007199254740993",
        "1.5",
        "\"-1\"",
        "\"01\"",
        "\"0x\"",
        "\"1e3\"",
        "true",
        "\"115792089237316195423570985008687907853269984665640564039457584007913129639936\""
      })
  void refusesEverythingElse(String json) {
    assertThatThrownBy(() -> mapper.readValue("{\"n\":" + json + "}", Holder.class))
        .isInstanceOf(Exception.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "7", "123456789012345678901234567890"})
  void writesDecimalStrings(String value) throws Exception {
    assertThat(mapper.writeValueAsString(new Holder(Uint256.parse(value))))
        .isEqualTo("{\"n\":\"" + value + "\"}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "42",
        "115792089237316195423570985008687907853269984665640564039457584007913129639935"
      })
  void parseDecimalReadsCanonicalDecimalsUpTo256Bits(String text) {
    assertThat(Uint256.parseDecimal(text)).contains(new BigInteger(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "01",
        "-1",
        "+1",
        "0x2a",
        " 1",
        "1e3",
        "115792089237316195423570985008687907853269984665640564039457584007913129639936"
      })
  void parseDecimalRefusesEveryOtherText(String text) {
    assertThat(Uint256.parseDecimal(text)).isEmpty();
  }
}
