package dev.teeagent.cli;

import dev.teeagent.attestation.ExpectedPcrs;
import dev.teeagent.attestation.TrustedRoot;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.JsonMappers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** The operator key from --key-file, else from the environment; never from a flag. */
  SigningKey operatorKey(Map<String, String> env) throws CliFailure {
    String hex;
    if (keyFile != null) {
      try {
        hex = Files.readString(keyFile);
      } catch (IOException e) {
        throw new CliFailure("cannot read --key-file " + keyFile);
      }
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
    try {
      return TrustedRoot.fromPem(Files.readAllBytes(root));
    } catch (IOException | IllegalArgumentException e) {
      throw new CliFailure("--root " + root + " is not a readable PEM certificate");
    }
  }

  ExpectedPcrs expectedPcrs() throws CliFailure {
    if (pcrs == null) {
      if (root == null) {
        throw new CliFailure(
            "--pcrs FILE is required with the AWS root: without it any enclave would pass");
      }
      return ExpectedPcrs.none();
    }
    try {
      return ExpectedPcrs.parseJson(Files.readAllBytes(pcrs), JsonMappers.strict());
    } catch (IOException e) {
      throw new CliFailure("cannot read --pcrs " + pcrs);
    } catch (IllegalArgumentException e) {
      throw new CliFailure("--pcrs " + pcrs + ": " + e.getMessage());
    }
  }
}
