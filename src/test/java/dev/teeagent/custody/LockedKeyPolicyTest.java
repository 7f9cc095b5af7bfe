package dev.teeagent.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.testing.NodeScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LockedKeyPolicyTest {
  private static final byte[] PCR0 = HexFormat.of().parseHex("3f".repeat(48));
  private static final KeyDescription KEY = KeyPolicyAnalyserTest.KEY;

  private static CustodyStatement judged(String policy, byte[] pcr0) {
    return KeyPolicyAnalyser.analyse(
        KEY, policy.getBytes(StandardCharsets.UTF_8), KeyGrants.none(), pcr0);
  }

  @Test
  void thePrintedPolicyIsLockedForItsImageAndForNoOther() {
    String policy = LockedKeyPolicy.of(PCR0, "111122223333", "tee-agent-host");

    assertThat(judged(policy, PCR0).reasons()).isEmpty();
    assertThat(judged(policy, PCR0).locked()).isTrue();
    assertThat(judged(policy, new byte[48]).locked()).isFalse();
    assertThat(policy)
        .contains("\"kms:RecipientAttestation:ImageSha384\" : \"" + "3f".repeat(48) + "\"")
        .contains("arn:aws:iam::111122223333:role/tee-agent-host")
        .endsWith("}\n");
  }

  @Test
  void itIsTheExampleOfTheCustodyDocWithThePlaceholdersFilledIn() throws Exception {
    String doc = Files.readString(NodeScript.projectDir().resolve(Path.of("docs", "custody.md")));
    String example = doc.substring(doc.indexOf("```json\n") + 8);
    example = example.substring(0, example.indexOf("```")).replace("PCR0_HEX", "3f".repeat(48));
    ObjectMapper json = new ObjectMapper();

    assertThat(json.readTree(LockedKeyPolicy.of(PCR0, "111122223333", "tee-agent-host")))
        .isEqualTo(json.readTree(example));
  }

  @Test
  void aRoleArnIsTakenAsGivenAndBadArgumentsAreNamed() {
    String arn = "arn:aws:iam::444455556666:role/ops/tee-agent-host";
    assertThat(LockedKeyPolicy.of(PCR0, "111122223333", arn)).contains("\"" + arn + "\"");
    assertThatThrownBy(() -> LockedKeyPolicy.of(new byte[32], "111122223333", "r"))
        .hasMessage("PCR0 must be 48 bytes (96 hex digits)");
    assertThatThrownBy(() -> LockedKeyPolicy.of(PCR0, "1111-2222-3333", "r"))
        .hasMessage("the AWS account must be 12 digits");
    assertThatThrownBy(() -> LockedKeyPolicy.of(PCR0, "111122223333", "role with spaces"))
        .hasMessage("the host role must be an IAM role name or arn:aws:iam::ACCOUNT:role/NAME");
    assertThatThrownBy(() -> LockedKeyPolicy.of(PCR0, "111122223333", "arn:aws:iam::1:user/x"))
        .hasMessageStartingWith("the host role must be");
  }
}
