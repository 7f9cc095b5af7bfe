package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.ExternalCommand;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code make eif} as an operator types it, run by the real make: with {@code -n} it shows the
 * image build and the EIF/PCR steps; with a missing or bad setting it stops before building
 * anything.
 */
class MakeEifTest {
  private static final String OPERATOR = InitScriptTest.OPERATOR;
  private static final String DEV_OPERATOR = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

  private static ExternalCommand.Result make(String... arguments) {
    List<String> command = new ArrayList<>(List.of("make"));
    command.addAll(List.of(arguments));
    return ExternalCommand.of(command)
        .withoutEnv(
            "TEE_NAME",
            "OPERATOR_ADDRESS",
            "KMS_KEY_ID",
            "KMS_REGION",
            "MAKEFLAGS",
            "MAKELEVEL",
            "SOURCE_DATE_EPOCH")
        // A PATH without docker or nitro-cli: were a check to let a build through, it would fail
        // loudly here instead of touching a real Docker engine.
        .env("PATH", "/usr/bin:/bin")
        .run();
  }

  @Test
  void showsTheReproducibleImageBuildWithTheGivenNameAndOperator() {
    ExternalCommand.Result result = make("-n", "eif", "TEE_NAME=x", "OPERATOR_ADDRESS=" + OPERATOR);
    assertThat(result.exitCode()).as(result.output()).isZero();
    String commitTime =
        ExternalCommand.of("git", "log", "-1", "--format=%ct").run().stdout().strip();
    assertThat(result.stdout())
        .containsPattern(
            "(?s)docker run .*buildctl-daemonless.sh moby/buildkit:v[0-9.]+@sha256:[0-9a-f]{64} build")
        .contains("--local dockerfile=enclave")
        .contains("--opt build-arg:TEE_NAME='x'")
        .contains("--opt build-arg:OPERATOR_ADDRESS='" + OPERATOR + "'")
        .contains("--opt build-arg:SOURCE_DATE_EPOCH=" + commitTime)
        .contains("rewrite-timestamp=true")
        .contains("docker load --input build/tee-agent-image.tar");
  }

  @Test
  void passesTheKmsKeyAndRegionAsBuildArgumentsSoPcr0CoversThem() {
    String key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    ExternalCommand.Result result =
        make(
            "-n",
            "eif",
            "OPERATOR_ADDRESS=" + OPERATOR,
            "KMS_KEY_ID=" + key,
            "KMS_REGION=eu-west-1");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.stdout())
        .contains("--opt build-arg:KMS_KEY_ID='" + key + "'")
        .contains("--opt build-arg:KMS_REGION='eu-west-1'");
    assertThat(make("-n", "eif", "OPERATOR_ADDRESS=" + OPERATOR).stdout())
        .contains("--opt build-arg:KMS_KEY_ID='' --opt build-arg:KMS_REGION=''");
  }

  @Test
  void refusesAKmsKeyWithoutARegionOrABadOneBeforeBuilding() {
    ExternalCommand.Result noRegion =
        make("-n", "eif", "OPERATOR_ADDRESS=" + OPERATOR, "KMS_KEY_ID=1234abcd");
    assertThat(noRegion.exitCode()).isNotZero();
    assertThat(noRegion.stderr()).contains("KMS_REGION must be an AWS region such as eu-west-1");
    ExternalCommand.Result badKey =
        make(
            "-n",
            "eif",
            "OPERATOR_ADDRESS=" + OPERATOR,
            "KMS_KEY_ID=a key",
            "KMS_REGION=eu-west-1");
    assertThat(badKey.exitCode()).isNotZero();
    assertThat(badKey.stderr()).contains("KMS_KEY_ID must be a KMS key id or ARN");
  }

  @Test
  void showsNitroCliWritingTheEifAndThePcrsFile() {
    ExternalCommand.Result result = make("-n", "eif", "TEE_NAME=x", "OPERATOR_ADDRESS=" + OPERATOR);
    assertThat(result.exitCode()).as(result.output()).isZero();
    List<String> lines = result.stdoutLines();
    assertThat(lines)
        .anyMatch(
            line ->
                line.startsWith(
                        "enclave/nitro-cli.sh build-enclave --docker-uri tee-agent-enclave:")
                    && line.contains("--output-file \"" + EnclaveFiles.path("build/tee-agent.eif"))
                    && line.endsWith("> build/nitro-cli-build.json"));
    assertThat(lines).contains("jq '.Measurements' build/nitro-cli-build.json > build/pcrs.json");
    int build = indexOfFirst(lines, "docker run");
    int enclave = indexOfFirst(lines, "build-enclave");
    int pcrs = indexOfFirst(lines, "> build/pcrs.json");
    assertThat(build).isLessThan(enclave).isLessThan(pcrs);
  }

  @ParameterizedTest
  @ValueSource(strings = {"eif", ""})
  void refusesToBuildWithoutAnOperatorAddress(String goal) {
    ExternalCommand.Result result = goal.isEmpty() ? make() : make(goal);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("make eif needs your operator address");
    assertThat(result.stdout()).doesNotContain("docker");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0x123",
        "f39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
        "0xg39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb9226600"
      })
  void refusesAnInvalidOperatorAddressBeforeBuilding(String address) {
    ExternalCommand.Result result = make("-n", "eif", "OPERATOR_ADDRESS=" + address);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains("OPERATOR_ADDRESS must be a 0x-prefixed 20-byte hex address, got '" + address);
    assertThat(result.stdout()).doesNotContain("docker");
  }

  @Test
  void refusesThePublicDevelopmentOperatorInAnyCase() {
    ExternalCommand.Result result =
        make("-n", "eif", "OPERATOR_ADDRESS=" + DEV_OPERATOR.toLowerCase());
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("is the public development operator");
  }

  @Test
  void refusesATeeNameThatCannotBeABuildArgument() {
    ExternalCommand.Result result =
        make("-n", "eif", "OPERATOR_ADDRESS=" + OPERATOR, "TEE_NAME=my agent's");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("TEE_NAME must be 1-64 letters, digits");
  }

  @Test
  void keepsMakeRunOnTheDevelopmentOperatorAndMakeTestOnMaven() {
    assertThat(make("-n", "run").stdout())
        .contains(
            "scripts/run-local.sh 'scratch' '7047' 'tee-agent-dev' '" + DEV_OPERATOR + "' ''");
    assertThat(make("-n", "run", "OPERATOR_ADDRESS=" + OPERATOR, "NEW_IDENTITY=1").stdout())
        .contains("'" + OPERATOR + "' '1'");
    assertThat(make("-n", "test").stdout()).contains("./mvnw -B -ntp verify");
  }

  private static int indexOfFirst(List<String> lines, String fragment) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(fragment)) {
        return i;
      }
    }
    throw new AssertionError("no line with " + fragment + " in " + lines);
  }
}
