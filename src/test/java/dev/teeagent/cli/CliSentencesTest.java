package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.testing.DrippingHost;
import dev.teeagent.verifier.TrustedRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer meets first, in process: help on every command, usage errors as one line and a
 * pointer to --help, and failures as sentences without exception names.
 */
class CliSentencesTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {
    String firstErrorLine() {
      return err.lines().findFirst().orElse("");
    }
  }

  static Run run(String... args) {
    return run(Map.of(), args);
  }

  /** A run whose environment is {@code env} (what main hands over from the process's). */
  static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        TeeAgentCli.commandLine(args, env)
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** A loopback port where nothing listens (bound, then released). */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private Path operatorKeyFile() throws IOException {
    return Files.writeString(
        dir.resolve("operator.key"),
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  }

  @Test
  void everyCommandPrintsItsHelpAndExitsZero() {
    for (String[] args :
        new String[][] {
          {"--help"},
          {"serve", "--help"},
          {"verify", "--help"},
          {"operator", "--help"},
          {"operator", "set", "--help"},
          {"operator", "sign", "--help"},
          {"operator", "freeze", "-h"}
        }) {
      Run run = run(args);
      assertThat(run.exit()).as(String.join(" ", args) + ": " + run.err()).isZero();
      assertThat(run.out()).startsWith("Usage: tee-agent");
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void aUsageErrorIsOneLineAndAPointerToHelpNotTheWholeUsage() {
    Run run = run("verify");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            """
            tee-agent verify: give exactly one of --url and --document
            Try 'tee-agent verify --help' for more information.
            """);

    Run unknown = run("operator", "set", "--nmae", "x");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.firstErrorLine()).startsWith("tee-agent operator set: Unknown option");
    assertThat(unknown.err())
        .endsWith("Try 'tee-agent operator set --help' for more information.\n")
        .doesNotContain("Usage:");
  }

  @Test
  void aRefusedConnectionSaysNothingAnswersAndAsksWhetherTheAgentRuns() throws IOException {
    int port = closedPort();
    Run verify = run("verify", "--url", "http://127.0.0.1:" + port);
    assertThat(verify.exit()).isEqualTo(1);
    assertThat(verify.err())
        .isEqualTo(
            "tee-agent verify: nothing answers at 127.0.0.1:"
                + port
                + " — is the agent running?\n");

    Run operator =
        run(
            "operator",
            "set",
            "--url",
            "http://127.0.0.1:" + port,
            "--root",
            "no-matter.pem",
            "--name",
            "x",
            "--value",
            "1");
    assertThat(operator.exit()).isEqualTo(2);
    assertThat(operator.firstErrorLine()).doesNotContain("Exception");
  }

  @Test
  void aMissingFileIsNamedWithItsOptionAndNoExceptionName() {
    Path missing = dir.resolve("nope.cbor");
    Run run = run("verify", "--document", missing.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.firstErrorLine())
        .isEqualTo(
            "tee-agent verify: --document " + missing + ": there is no such file — check the path");
  }

  @Test
  void aWrongRootFileIsNotACertificateSentence() throws IOException {
    Path notPem = Files.writeString(dir.resolve("root.pem"), "hello");
    Path key = operatorKeyFile();
    Run run =
        run(
            "operator",
            "set",
            "--url",
            "http://127.0.0.1:" + closedPort(),
            "--root",
            notPem.toString(),
            "--key-file",
            key.toString(),
            "--name",
            "x",
            "--value",
            "1");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "tee-agent operator: --root "
                + notPem
                + " is not a PEM certificate — give the file serve --simulated-root-out wrote\n");
  }

  @Test
  void aSecretLookingNameInClearIsStoppedBeforeAnythingIsSentUnlessSaidPublic() throws IOException {
    String url = "http://127.0.0.1:" + closedPort();
    for (String name :
        new String[] {"openai_api_key", "db_password", "webhook_secret", "gh_token"}) {
      Run run = run("operator", "set", "--url", url, "--name", name, "--value", "s3cret");
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err())
          .isEqualTo(
              "tee-agent operator: --name "
                  + name
                  + " looks like a secret but is not --hidden: in clear its value would be"
                  + " published in /variables and /audit for good. Add --hidden to seal it to the"
                  + " agent's key, or --public if it is meant to be public (nothing was sent)\n");
    }
    Run confirmed =
        run(
            "operator",
            "set",
            "--url",
            url,
            "--key-file",
            operatorKeyFile().toString(),
            "--root",
            operatorKeyFile().toString(),
            "--name",
            "db_password_hint",
            "--value",
            "ask Bob",
            "--public");
    assertThat(confirmed.err()).doesNotContain("looks like a secret");
  }

  /** Without a deadline on the body these two would never end; 60 s is far beyond the 2 s asked. */
  @Test
  @Timeout(60)
  void verifyGivesUpOnAHostThatDripsTheBodyAtItsDeadline() throws IOException {
    try (DrippingHost host = new DrippingHost()) {
      Run run = run("verify", "--url", host.url(), "--timeout", "2s");
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err()).contains("FAIL  fetch:").contains("NOT VERIFIED");
    }
  }

  @Test
  @Timeout(60)
  void theOperatorCliGivesUpOnAHostThatDripsTheBodyAtItsDeadline() throws IOException {
    Path key = operatorKeyFile();
    Path root =
        Files.writeString(
            dir.resolve("root.pem"),
            TrustedRoot.toPem(
                SimulatedNsm.start(Clock.systemUTC(), new SecureRandom()).rootCertificate()));
    try (DrippingHost host = new DrippingHost()) {
      Run run =
          run(
              "operator",
              "set",
              "--url",
              host.url(),
              "--timeout",
              "2s",
              "--root",
              root.toString(),
              "--key-file",
              key.toString(),
              "--name",
              "x",
              "--value",
              "1");
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err())
          .startsWith("tee-agent operator: the agent's attestation does not verify");
    }
  }
}
