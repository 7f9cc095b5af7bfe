package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rule for the members of a received user_data preimage, on the cases the JS verifier's
 * preimage.test.mjs reads too (attestation/preimage-cases.json): only members the verifier knows
 * how to check (the record's components), each present as text.
 */
class UserDataPreimageTest {
  private static final ObjectMapper MAPPER = JsonMappers.strict();

  @Test
  void theKnownMembersAreTheRecordsComponentsAsTheAgentWritesThem() {
    assertThat(UserDataPreimage.MEMBERS)
        .containsExactly(
            "tee_name", "operator", "address", "state_hash", "tls_spki_sha256", "custody");
    assertThat(UserDataPreimage.OPTIONAL).containsExactly("tls_spki_sha256", "custody");
    JsonNode written = MAPPER.valueToTree(new UserDataPreimage("t", "0xo", "0xa", "0xs"));
    List<String> names = new ArrayList<>();
    written.fieldNames().forEachRemaining(names::add);
    // Without HTTPS the optional member is not written: the preimage of before.
    assertThat(names).containsExactly("tee_name", "operator", "address", "state_hash");
    assertThat(UserDataPreimage.problems(written)).isEmpty();
    JsonNode withTls =
        MAPPER.valueToTree(
            new UserDataPreimage(
                "t",
                "0xo",
                "0xa",
                "0xs",
                "0x" + "ab".repeat(32),
                new AttestedCustody("k", "AWS_KMS", "cd".repeat(32), true)));
    List<String> all = new ArrayList<>();
    withTls.fieldNames().forEachRemaining(all::add);
    assertThat(all).containsExactlyInAnyOrderElementsOf(UserDataPreimage.MEMBERS);
    assertThat(UserDataPreimage.problems(withTls)).isEmpty();
  }

  @Test
  void eachSharedCaseGivesTheSameProblemsAsInTheJsVerifier() throws IOException {
    JsonNode cases;
    try (InputStream in = getClass().getResourceAsStream("/attestation/preimage-cases.json")) {
      cases = MAPPER.readTree(in);
    }
    assertThat(cases.size()).isGreaterThanOrEqualTo(5);
    for (JsonNode c : cases) {
      List<String> expected = new ArrayList<>();
      c.get("problems").forEach(problem -> expected.add(problem.asText()));
      assertThat(UserDataPreimage.problems(c.get("preimage")))
          .as(c.get("name").asText())
          .isEqualTo(expected);
    }
  }

  @Test
  void aPreimageThatIsNotAnObjectIsNamedAsSuch() {
    for (JsonNode value :
        List.of(
            MAPPER.nullNode(), MAPPER.createArrayNode(), MAPPER.getNodeFactory().textNode("x"))) {
      assertThat(UserDataPreimage.problems(value))
          .containsExactly("the preimage is not a JSON object");
    }
  }
}
