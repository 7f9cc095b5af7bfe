package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.cli.CliSentencesTest.Run;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The commands read the environment {@code main} hands them, never the process's own: each setting
 * taken from the environment is tested here with a map.
 */
class CliEnvironmentTest {
  private static final String OPERATOR = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

  @Test
  void serveReadsTheAgentsNameAndOperatorFromTheGivenEnvironment() {
    Run emptyName =
        CliSentencesTest.run(
            Map.of("TEE_NAME", "", "OPERATOR_ADDRESS", OPERATOR), "serve", "--port", "0");
    assertThat(emptyName.exit()).isEqualTo(2);
    assertThat(emptyName.err()).startsWith("tee-agent: cannot start: --tee-name / TEE_NAME");

    Run badOperator =
        CliSentencesTest.run(
            Map.of("TEE_NAME", "x", "OPERATOR_ADDRESS", "0x1234"), "serve", "--port", "0");
    assertThat(badOperator.exit()).isEqualTo(2);
    assertThat(badOperator.err()).contains("--operator / OPERATOR_ADDRESS");
  }

  @Test
  void serveReadsTheKmsCredentialsFromTheGivenEnvironment() {
    Run run =
        CliSentencesTest.run(
            Map.of("TEE_NAME", "x", "OPERATOR_ADDRESS", OPERATOR, "AWS_ACCESS_KEY_ID", "AKID"),
            "serve",
            "--port",
            "0",
            "--state-dir",
            "state",
            "--kms-key-id",
            "k",
            "--kms-region",
            "eu-west-1");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "tee-agent: cannot start: --state-dir: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                + " must be set (the host's credentials for KMS), or --kms-credentials"
                + " instance-role\n");
  }

  @Test
  void theOperatorKeyComesFromTheGivenEnvironmentWhenNoKeyFileIsGiven() throws IOException {
    String[] set = {
      "operator",
      "set",
      "--url",
      "http://127.0.0.1:" + CliSentencesTest.closedPort(),
      "--name",
      "a",
      "--value",
      "b"
    };
    assertThat(CliSentencesTest.run(Map.of(), set).err())
        .isEqualTo(
            "tee-agent operator: no operator key: give --key-file FILE or set $TEE_OPERATOR_KEY\n");
    assertThat(CliSentencesTest.run(Map.of("TEE_OPERATOR_KEY", "0x12"), set).err())
        .isEqualTo("tee-agent operator: the operator key must be 32 bytes of hex\n");
  }
}
