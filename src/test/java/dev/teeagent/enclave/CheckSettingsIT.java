package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.ExternalCommand;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * enclave/CheckSettings.java, which the image build runs on its TEE_NAME and OPERATOR_ADDRESS
 * arguments: the agent's own rules, so an argument the agent would refuse at boot fails the build.
 */
class CheckSettingsIT {
  private static ExternalCommand.Result check(String teeName, String operator) {
    return ExternalCommand.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            AgentJar.path().toString(),
            "enclave/CheckSettings.java",
            teeName,
            operator)
        .run();
  }

  @ParameterizedTest
  @CsvSource({
    "my-agent, 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed, 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "my-agent, 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
  })
  void acceptsWhatTheAgentAcceptsAndPrintsTheChecksummedOperator(
      String teeName, String operator, String checksummed) {
    ExternalCommand.Result result = check(teeName, operator);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.stdout()).contains("operator=" + checksummed);
  }

  @ParameterizedTest
  @CsvSource({
    "my-agent, 0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, wrong EIP-55 checksum",
    "'', 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, --tee-name / TEE_NAME: must not be empty",
    "my-agent, 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA, --operator / OPERATOR_ADDRESS"
  })
  void failsOnWhatTheAgentWouldRefuseAtBoot(String teeName, String operator, String message) {
    ExternalCommand.Result result = check(teeName, operator);
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("invalid build argument: ").contains(message);
  }
}
