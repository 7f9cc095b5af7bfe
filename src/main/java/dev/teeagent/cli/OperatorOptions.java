package dev.teeagent.cli;

import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.verifier.ExpectedPcrs;
import dev.teeagent.verifier.TrustedRoot;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options every {@code operator} subcommand shares: where the agent is, how to trust it, the key.
 */
final class OperatorOptions {
  static final String KEY_ENV = "TEE_OPERATOR_KEY";

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:7047",
      description = "The agent's base URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--key-file",
      paramLabel = "FILE",
      description = "File holding the operator's private key (hex). Default: $" + KEY_ENV + ".")
  Path keyFile;

  @Option(
      names = "--root",
      paramLabel = "PEM",
      description = "Trust this root certificate (a simulated agent's) instead of the AWS root.")
  Path root;

  @Option(
      names = "--pcrs",
      paramLabel = "FILE",
      description = "Expected PCRs (pcrs.json written by make). Required with the AWS root.")
  Path pcrs;

  @Option(names = "--allow-debug", description = "Accept a debug-mode enclave (testing only).")
  boolean allowDebug;

  @Option(
      names = "--deadline",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description = "How long the signed batch stays valid: 90s, 10m, 2h (default: 10m).")
  Duration deadline;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "Longest wait for each answer of the agent, body included: 10s, 2m (default: 30s).")
  Duration timeout;

  /** Verifies the agent's attestation as these options say, and reports whom it trusts. */
  AgentAttester.AttestedAgent attest(
      AgentClient client, Clock clock, SecureRandom random, PrintWriter err) throws CliFailure {
    AgentAttester.AttestedAgent agent =
        new AgentAttester(clock, random)
            .attest(client, trustedRoot(), root, expectedPcrs(), allowDebug);
    err.println("attested agent " + agent.address() + " (" + agent.how() + ")");
    return agent;
  }

  /** The operator key from --key-file, else from the environment; never from a flag. */
  SigningKey operatorKey(Map<String, String> env) throws CliFailure {
    String hex;
    if (keyFile != null) {
      hex = new String(UserFiles.read("--key-file", keyFile), StandardCharsets.UTF_8);
    } else {
      hex = env.get(KEY_ENV);
      if (hex == null) {
        throw new CliFailure("no operator key: give --key-file FILE or set $" + KEY_ENV);
      }
    }
    try {
      return SigningKey.fromPrivateKeyHex(hex.strip());
    } catch (IllegalArgumentException e) {
      throw new CliFailure("the operator key must be 32 bytes of hex");
    }
  }

  TrustedRoot trustedRoot() throws CliFailure {
    if (root == null) {
      return TrustedRoot.aws();
    }
    byte[] pem = UserFiles.read("--root", root);
    try {
      return TrustedRoot.fromPem(pem);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(
          "--root "
              + root
              + " is not a PEM certificate — give the file serve --simulated-root-out wrote");
    }
  }

  ExpectedPcrs expectedPcrs() throws CliFailure {
    if (pcrs == null) {
      if (root == null) {
        throw new CliFailure(
            "--pcrs FILE is required with the AWS root, or any enclave would pass (an enclave's"
                + " PCRs: --pcrs build/pcrs.json from make eif); for the local agent of make run add "
                + LocalAgentFiles.FLAGS);
      }
      return ExpectedPcrs.none();
    }
    byte[] json = UserFiles.read("--pcrs", pcrs);
    try {
      return ExpectedPcrs.parseJson(json, JsonMappers.strict());
    } catch (IllegalArgumentException e) {
      throw new CliFailure("--pcrs " + pcrs + ": " + e.getMessage());
    }
  }
}
