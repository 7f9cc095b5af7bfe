package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.ExternalCommand;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * enclave/init in dry-run mode, under the image's shell (busybox sh) and a plain POSIX sh: each
 * step and command, in order, as the enclave would run them.
 */
class InitScriptTest {
  static final String OPERATOR = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

  static ExternalCommand.Result dryRun(String shell, String teeName, String operator) {
    return command(shell, teeName, operator).run();
  }

  private static ExternalCommand command(String shell, String teeName, String operator) {
    return ExternalCommand.of(InitCommand.shellCommand(shell, "enclave/init", "--dry-run"))
        .withoutEnv("TEE_AGENT_HOME", "FORWARDER_WAIT_SECONDS", "KMS_KEY_ID", "KMS_REGION")
        .env("TEE_NAME", teeName)
        .env("OPERATOR_ADDRESS", operator);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/usr/bin/busybox sh", "/bin/sh"})
  void withAKmsKeyBuiltInKeepsTheIdentityInTheHostsStoreThroughTheHostLink(String shell) {
    ExternalCommand.Result result =
        command(shell, "my-agent", OPERATOR)
            .env("KMS_KEY_ID", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd")
            .env("KMS_REGION", "eu-west-1")
            .run();
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(InitCommand.fromDryRun(result).agentArguments())
        .containsSubsequence(
            "--state-url",
            "http://192.168.127.254:7048",
            "--kms-key-id",
            "arn:aws:kms:eu-west-1:111122223333:key/1234abcd",
            "--kms-region",
            "eu-west-1",
            "--kms-credentials",
            "instance-role")
        .doesNotContain("--state-dir", "--kms-endpoint");
    assertThat(result.stdout()).contains("kms_key=arn:aws:kms:eu-west-1:111122223333:key/1234abcd");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/usr/bin/busybox sh", "/bin/sh"})
  void stopsAtTheSettingsStepWhenAKmsKeyHasNoRegion(String shell) {
    ExternalCommand.Result result =
        command(shell, "my-agent", OPERATOR).env("KMS_KEY_ID", "1234abcd").run();
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .contains("FAILED at step 'settings': KMS_KEY_ID is set but KMS_REGION is empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/usr/bin/busybox sh", "/bin/sh"})
  void printsEveryStepAndCommandInOrder(String shell) {
    ExternalCommand.Result result = dryRun(shell, "my-agent", OPERATOR);
    assertThat(result.exitCode()).as(result.output()).isZero();
    List<String> lines =
        result.stdoutLines().stream()
            .filter(line -> line.startsWith("+ ") || line.contains("step: "))
            .map(line -> line.replace("tee-agent-init: ", ""))
            .toList();
    assertThat(lines)
        .containsExactly(
            "step: settings",
            "+ test -e /opt/tee-agent/runtime/bin/java",
            "+ test -e /opt/tee-agent/tee-agent.jar",
            "+ test -e /opt/tee-agent/bin/gvforwarder",
            "step: environment",
            "step: loopback",
            "+ ip link set lo up",
            "step: tun-device",
            "+ test -c /dev/net/tun || { mkdir -p /dev/net; mknod /dev/net/tun c 10 200; }",
            "step: tap-interface",
            "+ tunctl -t tap0",
            "+ ip link set tap0 address 5a:94:ef:e4:0c:ee",
            "+ ip addr add 192.168.127.2/24 dev tap0",
            "+ ip link set tap0 up",
            "+ ip route add default via 192.168.127.1 dev tap0",
            "step: dns",
            "+ echo nameserver 192.168.127.1 > /etc/resolv.conf",
            "step: gvforwarder",
            "+ /opt/tee-agent/bin/gvforwarder -url vsock://3:1024/connect -iface tap0 -preexisting &",
            "step: wait-for-gvforwarder",
            "+ wait up to 120s for carrier on tap0",
            "step: agent",
            "+ exec /opt/tee-agent/runtime/bin/java -XX:+UseSerialGC -Xmx512m"
                + " -XX:+ExitOnOutOfMemoryError -XX:+DisableAttachMechanism -XX:-UsePerfData"
                + " -Djava.net.useSystemProxies=false -jar /opt/tee-agent/tee-agent.jar serve --host 0.0.0.0 --port 7047"
                + " --https-port 7443 --attestation nitro --tee-name my-agent --operator "
                + OPERATOR);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/usr/bin/busybox sh", "/bin/sh"})
  void runsTheJvmWithoutAttachListenerPerfDataOrSystemProxies(String shell) {
    InitCommand agent = InitCommand.fromDryRun(dryRun(shell, "my-agent", OPERATOR));
    assertThat(agent.jvmFlags())
        .contains(
            "-XX:+DisableAttachMechanism", "-XX:-UsePerfData", "-Djava.net.useSystemProxies=false")
        .noneMatch(flag -> flag.contains("jdwp") || flag.contains("jmxremote"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/usr/bin/busybox sh", "/bin/sh"})
  void stopsAtTheSettingsStepWhenTheOperatorIsMissing(String shell) {
    ExternalCommand.Result result = dryRun(shell, "my-agent", "");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .contains("FAILED at step 'settings': OPERATOR_ADDRESS is empty (a build argument");
    assertThat(result.stdout()).doesNotContain("+ ip ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/usr/bin/busybox sh", "/bin/sh"})
  void refusesAnUnknownArgument(String shell) {
    ExternalCommand.Result result =
        ExternalCommand.of(InitCommand.shellCommand(shell, "enclave/init", "--dryrun"))
            .env("TEE_NAME", "x")
            .run();
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("usage:");
  }
}
