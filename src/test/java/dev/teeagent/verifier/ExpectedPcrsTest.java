package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExpectedPcrsTest {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final String A = "aa".repeat(48);
  private static final String B = "bb".repeat(48);

  private static ExpectedPcrs parse(String json) {
    return ExpectedPcrs.parseJson(json.getBytes(StandardCharsets.UTF_8), MAPPER);
  }

  @Test
  void readsTheMeasurementsNitroCliPrintsWholeOrUnwrapped() {
    String measurements =
        "{\"HashAlgorithm\": \"Sha384 { ... }\", \"PCR0\": \""
            + A
            + "\", \"PCR8\": \"0x"
            + B
            + "\"}";
    for (String json : new String[] {measurements, "{\"Measurements\": " + measurements + "}"}) {
      ExpectedPcrs pcrs = parse(json);
      assertThat(pcrs.values().keySet()).containsExactly(0, 8);
      assertThat(pcrs.values().get(8)).containsOnly((byte) 0xbb);
    }
  }

  @Test
  void refusesWhatItCannotCheckNamingIt() {
    assertThatThrownBy(() -> parse("{\"PCR0\": \"" + A + "\", \"Pcr1\": \"" + B + "\"}"))
        .hasMessageContaining("\"Pcr1\"");
    assertThatThrownBy(() -> parse("{\"HashAlgorithm\": \"Sha256 { ... }\"}"))
        .hasMessageContaining("Sha384");
    assertThatThrownBy(() -> parse("{\"PCR0\": \"abcd\"}")).hasMessageContaining("48 bytes");
    assertThatThrownBy(() -> parse("{\"PCR32\": \"" + A + "\"}")).hasMessageContaining("0..31");
    assertThatThrownBy(() -> parse("[1, 2]")).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> parse("{")).hasMessageContaining("not JSON");
  }

  @Test
  void aValueGivenLaterOverridesTheFile() {
    ExpectedPcrs pcrs = parse("{\"PCR1\": \"" + A + "\"}").with(1, B);
    assertThat(pcrs.values().get(1)).containsOnly((byte) 0xbb);
  }
}
