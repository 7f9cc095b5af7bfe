package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.TestAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code make runtime} builds the enclave's jlink runtime here, and the packaged agent boots on it
 * (not on the full JDK) with the JVM flags of enclave/init and answers: no module is missing.
 */
class EnclaveRuntimeIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final String OPERATOR = InitScriptTest.OPERATOR;
  private static final Path RUNTIME = RuntimeAgent.RUNTIME;

  private static RuntimeAgent agent;

  @BeforeAll
  static void buildTheRuntimeAndStartTheAgentOnIt() throws Exception {
    RuntimeAgent.buildRuntime();
    agent = RuntimeAgent.start(RUNTIME, "runtime-test", OPERATOR, Map.of());
  }

  @AfterAll
  static void stopTheAgent() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void holdsTheListedModulesAndNoDebuggerOrRemoteManagementAgent() {
    ExternalCommand.Result modules =
        ExternalCommand.of(RUNTIME.resolve("bin/java").toString(), "--list-modules").run();
    Set<String> names =
        modules.stdoutLines().stream().map(line -> line.split("@")[0]).collect(Collectors.toSet());
    JavaModules listed = JavaModules.load();
    assertThat(names).containsAll(listed.included());
    assertThat(names)
        .doesNotContain("jdk.jdwp.agent", "jdk.management.agent", "jdk.attach", "java.rmi")
        .doesNotContainAnyElementsOf(listed.excluded().keySet());
  }

  @Test
  void listsOrExcludesWithAReasonEveryModuleJdepsFindsInTheJar() {
    Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
    ExternalCommand.Result result =
        ExternalCommand.of(
                jdeps.toString(),
                "--ignore-missing-deps",
                "--multi-release",
                "25",
                "--list-deps",
                AgentJar.path().toString())
            .timeout(Duration.ofMinutes(2))
            .run();
    assertThat(result.exitCode()).as(result.output()).isZero();
    List<String> used =
        result.stdoutLines().stream()
            .map(String::strip)
            .filter(line -> line.matches("[a-z][a-z0-9.]*"))
            .toList();
    assertThat(used).contains("java.base");
    JavaModules listed = JavaModules.load();
    assertThat(used)
        .as("add a new module to enclave/java-modules, or exclude it there with a reason")
        .allMatch(
            module -> listed.included().contains(module) || listed.excluded().containsKey(module));
    assertThat(listed.excluded().values()).allMatch(reason -> reason.length() > 10);
  }

  @Test
  void servesAConfigSignedByTheAgentKeyOnTheJlinkRuntime() throws Exception {
    String body = await("/api/v1/config");
    JsonNode config = MAPPER.readTree(body);
    assertThat(config.get("tee_name").asText()).isEqualTo("runtime-test");
    assertThat(config.get("operator").asText()).isEqualTo(OPERATOR);
    String release = Files.readString(RUNTIME.resolve("release"));
    assertThat(release)
        .contains("JAVA_VERSION=\"" + config.at("/build/java_version").asText().split("\\+")[0]);
    RuntimeAgent.assertSignedBy(body, config.get("address").asText());
    assertThat(agent.log()).doesNotContain("Exception").doesNotContain("WARNING");
  }

  @Test
  void servesTheSameSignedConfigOverItsAttestedHttpsOnTheJlinkRuntime() throws Exception {
    JsonNode plain = MAPPER.readTree(await("/api/v1/config"));
    String pin = plain.get("tls_spki_sha256").asText();
    ExternalCommand.Result curl =
        ExternalCommand.of(
                "curl",
                "-sS",
                "--insecure",
                "--pinnedpubkey",
                dev.teeagent.tls.SpkiPin.curlPin(pin),
                "https://127.0.0.1:" + agent.httpsPort() + "/api/v1/config")
            .run();
    assertThat(curl.exitCode()).as(curl.stderr()).isZero();
    RuntimeAgent.assertSignedBy(curl.stdout(), plain.get("address").asText());
    assertThat(MAPPER.readTree(curl.stdout()).get("tls_spki_sha256").asText()).isEqualTo(pin);
  }

  /**
   * The agent says on its console which signer it uses, and on this runtime FFM loads libsecp256k1
   * whenever the host's loader can find it (CI installs libsecp256k1-1): the log line is checked
   * against what the process really mapped.
   */
  @Test
  void logsAndStatesItsSignerAndLoadsLibsecp256k1WhenTheHostHasIt() throws Exception {
    JsonNode build = MAPPER.readTree(await("/api/v1/config")).get("build");
    String log = agent.log();
    if (NativeSigner.hostHasLibsecp256k1()) {
      assertThat(log).contains(NativeSigner.LOADED).doesNotContain(NativeSigner.FALLBACK);
      assertThat(agent.memoryMaps()).contains("/libsecp256k1.so");
      assertThat(build.get("signing_backend").asText()).isEqualTo("libsecp256k1");
    } else {
      assertThat(log).contains(NativeSigner.FALLBACK).doesNotContain(NativeSigner.LOADED);
      assertThat(agent.memoryMaps()).doesNotContain("libsecp256k1");
      assertThat(build.get("signing_backend").asText()).isEqualTo("java");
    }
  }

  @Test
  void answersASignedSimulatedAttestationThatTheVerifierAcceptsWithThePcrsFileMakeEifWrites()
      throws Exception {
    await("/api/v1/config");
    String body = await("/api/v1/attestation?nonce=0x" + "ab".repeat(32));
    JsonNode attestation = MAPPER.readTree(body);
    new TestAgent.Reply(200, body.getBytes()).verifiedSigner();
    JsonNode pcrs = attestation.get("pcrs");
    // nitro-cli build-enclave's output, reduced to build/pcrs.json by the Makefile's own jq filter.
    Path nitroCliOutput = Files.createTempFile("nitro-cli-build", ".json");
    Files.writeString(
        nitroCliOutput,
        """
        {"Measurements": {"HashAlgorithm": "Sha384 { ... }", "PCR0": %s, "PCR1": %s, "PCR2": %s}}
        """
            .formatted(pcrs.get("PCR0"), pcrs.get("PCR1"), pcrs.get("PCR2")));
    String filter = makefileJqFilter();
    ExternalCommand.Result jq = ExternalCommand.of("jq", filter, nitroCliOutput.toString()).run();
    assertThat(jq.exitCode()).as(jq.output()).isZero();
    Path pcrsFile = Files.writeString(Files.createTempFile("pcrs", ".json"), jq.stdout());

    ExternalCommand.Result verify =
        ExternalCommand.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                AgentJar.path().toString(),
                "verify",
                "--url",
                agent.baseUrl(),
                "--root",
                agent.simulatedRoot().toString(),
                "--pcrs",
                pcrsFile.toString())
            .timeout(Duration.ofMinutes(1))
            .run();
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output())
        .contains("ok    pcrs: PCR0, PCR1, PCR2 as expected")
        .contains("VERIFIED");
  }

  /** The jq filter `make eif` applies to nitro-cli's output to write build/pcrs.json. */
  private static String makefileJqFilter() {
    Matcher line =
        Pattern.compile("jq '([^']+)' build/nitro-cli-build.json > \\$\\(PCRS\\)")
            .matcher(EnclaveFiles.read("Makefile"));
    assertThat(line.find()).as("the pcrs.json line of the Makefile").isTrue();
    return line.group(1);
  }

  private static String await(String path) throws InterruptedException {
    return agent.await(path);
  }
}
