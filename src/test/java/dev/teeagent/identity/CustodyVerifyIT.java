package dev.teeagent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.nsm.JarMeasurement;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.HttpProbe;
import dev.teeagent.testing.TestAgent;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custody as an operator and a verifier meet it: {@code make kms-policy} prints the locked policy
 * for the jar's measurement, dev-kms takes it, the packaged agent seals its identity under that key
 * and attests custody, and {@code tee-agent verify --require-locked} says VERIFIED; under a key
 * whose policy still lets someone change it, verify reports NOT locked, and with {@code
 * --require-locked} fails closed saying why.
 */
class CustodyVerifyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> CREDENTIALS =
      Map.of("AWS_ACCESS_KEY_ID", "AKIDHOSTROLE", "AWS_SECRET_ACCESS_KEY", "host-secret");

  @TempDir Path stateDir;
  @TempDir Path kmsDir;
  @TempDir Path files;
  private KmsStandIn kms;
  private final List<Process> agents = new ArrayList<>();

  @BeforeEach
  void startKms() throws Exception {
    SimulatedNsm ca =
        SimulatedNsm.keptIn(
            stateDir.resolve("simulated-ca.properties"), Clock.systemUTC(), new SecureRandom());
    kms = new KmsStandIn(kmsDir, ca.rootCertificate());
    ca.close();
  }

  @AfterEach
  void stop() {
    agents.forEach(Process::destroyForcibly);
    kms.close();
  }

  /** `make kms-policy` for a pcrs.json holding the jar's measurement, as an operator runs it. */
  private String makeKmsPolicy() throws Exception {
    Path pcrs = files.resolve("pcrs.json");
    Files.writeString(pcrs, "{\"PCR0\":\"" + JarMeasurement.pcr0Hex(AgentJar.path()) + "\"}");
    ExternalCommand.Result make =
        ExternalCommand.of(
                "make",
                "--no-print-directory",
                "-o",
                "target/tee-agent.jar",
                "kms-policy",
                "PCRS=" + pcrs,
                "AWS_ACCOUNT=111122223333",
                "HOST_ROLE=tee-agent-host")
            .withoutEnv("MAKEFLAGS", "MAKELEVEL")
            .timeout(Duration.ofMinutes(2))
            .run();
    assertThat(make.exitCode()).as(make.output()).isZero();
    return make.stdout();
  }

  private String start(String keyId, String... extra) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--port",
                Integer.toString(port),
                "--tee-name",
                "vault",
                "--operator",
                TestAgent.OPERATOR.checksummed(),
                "--state-dir",
                stateDir.toString(),
                "--kms-endpoint",
                kms.endpoint().toString(),
                "--kms-key-id",
                keyId,
                "--kms-region",
                "us-east-1",
                "--simulated-root-out",
                files.resolve("root.pem").toString(),
                "--simulated-pcrs-out",
                files.resolve("agent-pcrs.json").toString()));
    args.addAll(List.of(extra));
    Process agent =
        AgentJar.command(CREDENTIALS, args.toArray(String[]::new))
            .redirectOutput(stateDir.resolve("log").toFile())
            .start();
    agents.add(agent);
    String url = "http://127.0.0.1:" + port;
    HttpProbe.awaitOk(URI.create(url + "/api/v1/config"), Duration.ofSeconds(60));
    return url;
  }

  private ExternalCommand.Result verify(String url, String... extra) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                AgentJar.path().toString(),
                "verify",
                "--url",
                url,
                "--root",
                files.resolve("root.pem").toString(),
                "--pcrs",
                files.resolve("agent-pcrs.json").toString()));
    command.addAll(List.of(extra));
    return ExternalCommand.of(command).timeout(Duration.ofMinutes(1)).run();
  }

  @Test
  void underTheKeyMadeWithThePrintedPolicyVerifyRequireLockedSaysVerified() throws Exception {
    String keyId = kms.createKeyWithPolicy(makeKmsPolicy());
    String url = start(keyId);

    ExternalCommand.Result run = verify(url, "--require-locked");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.stderr())
        .contains("ok    custody: KMS key " + keyId + " (origin AWS_KMS, policy sha256 ")
        .contains(") is locked: only this image's measurement can decrypt with it")
        .endsWith("VERIFIED\n");
    JsonNode fields = JSON.readTree(run.stdout());
    assertThat(fields.at("/custody/key_id").asText()).isEqualTo(keyId);
    assertThat(fields.at("/custody/locked").asBoolean()).isTrue();
    assertThat(fields.at("/custody/policy_sha256").asText()).matches("[0-9a-f]{64}");
    assertThat(fields.at("/user_data_preimage/custody")).isEqualTo(fields.get("custody"));
  }

  @Test
  void underAKeyWhosePolicyCanStillBeChangedVerifyReportsItAndRequireLockedFailsClosed()
      throws Exception {
    String policy = makeKmsPolicy();
    String changeable =
        policy.replace(
            "\"kms:ListResourceTags\"", "\"kms:ListResourceTags\", \"kms:PutKeyPolicy\"");
    assertThat(changeable).isNotEqualTo(policy);
    String keyId = kms.createKeyWithPolicy(changeable);
    String url = start(keyId);

    ExternalCommand.Result reported = verify(url);
    ExternalCommand.Result required = verify(url, "--require-locked");

    assertThat(reported.exitCode()).as(reported.output()).isZero();
    assertThat(reported.stderr())
        .contains("ok    custody: KMS key " + keyId)
        .contains(
            "is NOT locked (as /config says: statement 0 (AccountMayOnlyReadTheKey) allows"
                + " kms:PutKeyPolicy) (reported; --require-locked fails on this)");
    assertThat(required.exitCode()).as(required.output()).isEqualTo(1);
    assertThat(required.stderr())
        .contains("FAIL  custody: KMS key " + keyId)
        .contains("allows kms:PutKeyPolicy), and locked custody was required")
        .contains("NOT VERIFIED: 1 check(s) failed");
  }
}
