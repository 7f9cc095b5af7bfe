package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.MarkdownCommands;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.verifier.TrustedRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first hour of a newcomer, as the README, docs/operators.md and docs/migrating.md tell it,
 * through the launcher: help texts, the error sentences (exact first lines), {@code make run} and
 * then the operator CLI, the refused plaintext {@code llm_api_key}, run-enclave.sh refusing to
 * terminate a running enclave, and the original API's curl commands and bodies. {@code make run}
 * writes to a temporary scratch folder ({@code SCRATCH=}) on a free port, so a developer's own
 * agent is not disturbed.
 */
class FirstHourIT {
  private static final String DEV_KEY =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  @TempDir static Path scratch;
  private static int port;
  private static Process makeRun;

  @BeforeAll
  static void makeRun() throws Exception {
    port = CliSentencesTest.closedPort();
    Files.writeString(scratch.resolve("operator.key"), DEV_KEY + "\n");
    makeRun =
        new ProcessBuilder("make", "run", "PORT=" + port, "SCRATCH=" + scratch)
            .redirectErrorStream(true)
            .redirectOutput(scratch.resolve("make-run.log").toFile())
            .start();
    HttpClient http = HttpClient.newHttpClient();
    Instant giveUp = Instant.now().plus(Duration.ofMinutes(3));
    while (!Files.exists(scratch.resolve("pcrs.json"))) {
      assertThat(makeRun.isAlive()).as(log()).isTrue();
      assertThat(Instant.now()).as("make run did not start: " + log()).isBefore(giveUp);
      Thread.onSpinWait();
      makeRun.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create(url() + "/api/v1/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    if (makeRun != null) {
      makeRun.descendants().forEach(ProcessHandle::destroy);
      makeRun.destroy();
    }
  }

  private static String log() {
    try {
      return Files.readString(scratch.resolve("make-run.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static String url() {
    return "http://127.0.0.1:" + port;
  }

  private static ExternalCommand.Result launcher(String... args) {
    List<String> command = new ArrayList<>(List.of("./tee-agent"));
    command.addAll(List.of(args));
    return ExternalCommand.of(command).withoutEnv("TEE_OPERATOR_KEY").run();
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("");
  }

  private static String[] operatorSet(String... more) {
    List<String> args = new ArrayList<>(List.of("operator", "set", "--url", url()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static String trust(String file) {
    return scratch.resolve(file).toString();
  }

  @Test
  void everyCommandShowsItsHelpThroughTheLauncher() {
    for (String command :
        List.of("", "serve ", "verify ", "operator ", "operator set ", "authorize ")) {
      ExternalCommand.Result help = launcher((command + "--help").split(" "));
      assertThat(help.exitCode()).as(command + help.stderr()).isZero();
      assertThat(help.stdout()).startsWith("Usage: tee-agent " + command.strip());
    }
  }

  @Test
  void theLauncherSaysInOneLineWhatToInstallWithoutAJdk25() {
    ExternalCommand.Result run =
        ExternalCommand.of("./tee-agent", "--help")
            .env("TEE_AGENT_JVM_DIR", scratch.toString())
            .env("JAVA_HOME", "")
            .run();
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .isEqualTo(
            "tee-agent: needs a JDK 25 and found none: install one (Debian: apt-get install"
                + " openjdk-25-jdk-headless; or Temurin 25 from adoptium.net) or set JAVA_HOME to"
                + " it\n");
  }

  @Test
  void errorsANewcomerMeetsAreSentences() throws IOException {
    int closed = CliSentencesTest.closedPort();
    assertThat(launcher("verify", "--url", "http://127.0.0.1:" + closed).stderr())
        .isEqualTo(
            "tee-agent verify: nothing answers at 127.0.0.1:"
                + closed
                + " — is the agent running?\n");

    ExternalCommand.Result busy =
        launcher(
            "serve",
            "--port",
            String.valueOf(port),
            "--tee-name",
            "second",
            "--operator",
            TestAgent.OPERATOR.checksummed());
    assertThat(busy.exitCode()).isEqualTo(2);
    assertThat(firstLine(busy.stderr()))
        .isEqualTo(
            "tee-agent serve: port "
                + port
                + " on 127.0.0.1 is already in use (another agent still running?): stop that"
                + " program, or choose another port with --port");

    Path missing = scratch.resolve("saved.cbor");
    assertThat(firstLine(launcher("verify", "--document", missing.toString()).stderr()))
        .isEqualTo(
            "tee-agent verify: --document " + missing + ": there is no such file — check the path");

    Path otherRoot =
        Files.writeString(
            scratch.resolve("other-root.pem"),
            TrustedRoot.toPem(
                SimulatedNsm.start(Clock.systemUTC(), new SecureRandom()).rootCertificate()));
    ExternalCommand.Result wrongRoot =
        launcher(
            operatorSet(
                "--root",
                otherRoot.toString(),
                "--key-file",
                trust("operator.key"),
                "--name",
                "x",
                "--value",
                "1"));
    assertThat(wrongRoot.exitCode()).isEqualTo(2);
    assertThat(firstLine(wrongRoot.stderr()))
        .isEqualTo(
            "tee-agent operator: the agent's attestation does not lead to the root in --root "
                + otherRoot
                + ": each start of a simulated agent makes a new root, so give the file the"
                + " running agent wrote (make run writes scratch/simulated-root.pem)");

    ExternalCommand.Result awsRoot =
        launcher(
            operatorSet(
                "--pcrs",
                trust("pcrs.json"),
                "--key-file",
                trust("operator.key"),
                "--name",
                "x",
                "--value",
                "1"));
    assertThat(awsRoot.exitCode()).isEqualTo(2);
    assertThat(firstLine(awsRoot.stderr()))
        .isEqualTo(
            "tee-agent operator: the agent at "
                + url()
                + " runs simulated attestation (not an enclave), so it cannot chain to the AWS"
                + " root; to trust it for local testing add --root scratch/simulated-root.pem"
                + " --pcrs scratch/pcrs.json (make run writes them; serve --simulated-root-out and"
                + " --simulated-pcrs-out name other files)");
  }

  @Test
  void makeRunThenAnOperatorSetWithTheFilesItWrote() {
    ExternalCommand.Result set =
        launcher(
            operatorSet(
                "--root",
                trust("simulated-root.pem"),
                "--pcrs",
                trust("pcrs.json"),
                "--key-file",
                trust("operator.key"),
                "--name",
                "greeting",
                "--value",
                "hello"));
    assertThat(set.exitCode()).as(set.stderr()).isZero();
    assertThat(set.stderr()).contains("PCRs [0, 1, 2] match").contains("accepted: nonce ");
  }

  @Test
  void aPlaintextLlmApiKeyIsStoppedByTheCliAndRefusedByTheAgent() {
    String[] trustAndKey = {
      "--root",
      trust("simulated-root.pem"),
      "--pcrs",
      trust("pcrs.json"),
      "--key-file",
      trust("operator.key"),
      "--name",
      "llm_api_key",
      "--value",
      "sk-or-v1-plain"
    };
    ExternalCommand.Result stopped = launcher(operatorSet(trustAndKey));
    assertThat(stopped.exitCode()).isEqualTo(2);
    assertThat(stopped.stderr()).contains("llm_api_key looks like a secret but is not --hidden");

    List<String> forced = new ArrayList<>(List.of(operatorSet(trustAndKey)));
    forced.add("--public");
    ExternalCommand.Result refused = launcher(forced.toArray(String[]::new));
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr().lines().reduce((a, b) -> b).orElse(""))
        .isEqualTo(
            "refused (400 credential_not_hidden): commands[0] (llm_api_key): the agent uses this"
                + " variable as a credential, so it must be sealed: set it with hidden true"
                + " (operator set --name llm_api_key --value-file FILE --hidden encrypts it to the"
                + " agent's attested key); a public value would be published in /variables and"
                + " /audit for good");
    assertThat(refused.stdout()).doesNotContain("sk-or-v1-plain\"");
  }

  @Test
  void runEnclaveRefusesToTerminateARunningEnclave() throws IOException {
    Path nitroCli = scratch.resolve("nitro-cli");
    Files.writeString(
        nitroCli,
        "#!/bin/sh\n"
            + "echo \"$*\" >> "
            + scratch.resolve("nitro-calls.log")
            + "\n"
            + "[ \"$1\" = describe-enclaves ] && echo '[{\"EnclaveName\": \"tee-agent\","
            + " \"EnclaveID\": \"i-0abc-enc1\"}]'\n"
            + "exit 0\n");
    Files.setPosixFilePermissions(nitroCli, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path eif = Files.writeString(scratch.resolve("tee-agent.eif"), "not an EIF");
    ExternalCommand.Result run =
        ExternalCommand.of("./run-enclave.sh", eif.toString())
            .env("NITRO_CLI", nitroCli.toString())
            .withoutEnv("ENCLAVE_NAME")
            .run();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(firstLine(run.stderr()))
        .startsWith(
            "run-enclave: enclave tee-agent is running (i-0abc-enc1): terminating it"
                + " destroys its agent key, its variables and the funds at its address for good.");
    assertThat(Files.readAllLines(scratch.resolve("nitro-calls.log")))
        .containsExactly("describe-enclaves");
  }

  /**
   * docs/migrating.md: each original request (plain blocks) gets a signed JSON answer, and each of
   * today's commands (sh blocks) prints exactly the text block that follows it.
   */
  @Test
  void theMigrationPageRunsAsWritten() {
    List<MarkdownCommands.Block> found =
        MarkdownCommands.blocks(NodeScript.projectDir().resolve("docs/migrating.md"));
    int commands = 0;
    try (MarkdownCommands docs = MarkdownCommands.in(scratch).port(7047, port)) {
      for (int i = 0; i < found.size(); i++) {
        String kind = found.get(i).language();
        if (kind.equals("text")) {
          continue;
        }
        String script = docs.substitute(found.get(i).text());
        ExternalCommand.Result run = docs.run(script);
        assertThat(run.exitCode()).as(script + "\n" + run.output()).isZero();
        if (kind.equals("sh")) {
          assertThat(found.get(i + 1).language())
              .as("the output block after " + script)
              .isEqualTo("text");
          assertThat(run.stdout()).as(script).isEqualTo(docs.substitute(found.get(i + 1).text()));
          commands++;
        } else {
          JsonNode answer = readJson(run.stdout());
          assertThat(answer.path("signature").asText()).as(script).startsWith("0x");
          assertThat(answer.path("status").asInt()).isIn(200, 400);
        }
      }
    }
    assertThat(commands).isEqualTo(7);
  }

  private static JsonNode readJson(String text) {
    try {
      return JsonMappers.strict().readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
