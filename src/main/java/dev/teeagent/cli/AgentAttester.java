package dev.teeagent.cli;

import dev.teeagent.crypto.Address;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.verifier.AgentVerifier;
import dev.teeagent.verifier.AttestationVerifier;
import dev.teeagent.verifier.Check;
import dev.teeagent.verifier.ExpectedPcrs;
import dev.teeagent.verifier.TrustedRoot;
import dev.teeagent.verifier.VerificationReport;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Establishes who the agent at a URL is before anything is signed for it or encrypted to it, with
 * the verifier's {@link AgentVerifier}: a fresh document for a random nonce, chained to the trusted
 * root (AWS, or a simulated agent's root), the expected PCRs, the attested secp256k1 key as the
 * signer of {@code /attestation} and {@code /config}, and {@code user_data} over the returned
 * identity. The agent's key is taken from the verified document only.
 */
final class AgentAttester {
  /** How far a document fetched just now may be from this machine's clock. */
  static final Duration MAX_AGE = Duration.ofMinutes(5);

  private final Clock clock;
  private final SecureRandom random;

  AgentAttester(Clock clock, SecureRandom random) {
    this.clock = clock;
    this.random = random;
  }

  /** The attested agent: its address and uncompressed public key, and how it was verified. */
  record AttestedAgent(Address address, byte[] publicKey, String how) {}

  /**
   * @param rootFile the {@code --root} file, or null when the AWS root is trusted
   */
  AttestedAgent attest(
      AgentClient client, TrustedRoot root, Path rootFile, ExpectedPcrs pcrs, boolean allowDebug)
      throws CliFailure {
    client.requireReachable();
    AgentVerifier verifier =
        new AgentVerifier(
            new AttestationVerifier(root, clock),
            client.httpClient(),
            JsonMappers.strict(),
            random);
    AgentVerifier.AgentReport report =
        verifier.verify(client.base(), new AgentVerifier.Options(pcrs, MAX_AGE, allowDebug));
    if (!report.passed() || report.agent().isEmpty()) {
      Optional<String> cure = chainCure(report.report(), client, rootFile);
      if (cure.isPresent()) {
        throw new CliFailure(cure.get());
      }
      throw new CliFailure(
          "the agent's attestation does not verify:\n"
              + report.report().failures().stream()
                  .map(VerificationReport.Step::line)
                  .collect(Collectors.joining("\n")));
    }
    AgentVerifier.VerifiedAgent agent = report.agent().get();
    client.pinTo(agent.preimage());
    byte[] publicKey =
        agent
            .attestation()
            .document()
            .publicKey()
            .orElseThrow(() -> new CliFailure("the attestation document carries no public key"));
    String how =
        agent.attestation().root().describe()
            + (pcrs.isEmpty()
                ? ", PCRs not checked"
                : ", PCRs " + pcrs.values().keySet() + " match");
    return new AttestedAgent(agent.address(), publicKey, how);
  }

  /**
   * When the chain to the trusted root is what failed, what to do about it, in one sentence: a
   * simulated agent checked against the AWS root is told which flags trust it (never trusted
   * without them); a --root that is not the agent's is most often the root of an earlier start.
   */
  static Optional<String> chainCure(VerificationReport report, AgentClient client, Path rootFile) {
    boolean chainFailed = report.failures().stream().anyMatch(step -> step.check() == Check.CHAIN);
    if (!chainFailed) {
      return Optional.empty();
    }
    if (rootFile != null) {
      return Optional.of(
          "the agent's attestation does not lead to the root in --root "
              + rootFile
              + ": each start of a simulated agent makes a new root, so give the file the running"
              + " agent wrote (make run writes "
              + LocalAgentFiles.ROOT
              + ")");
    }
    String mode;
    try {
      mode = client.get("/config").json().path("attestation_mode").asText("");
    } catch (CliFailure e) {
      return Optional.empty();
    }
    if (!"simulated".equals(mode)) {
      return Optional.empty();
    }
    return Optional.of(
        "the agent at "
            + client.base()
            + " runs simulated attestation (not an enclave), so it cannot chain to the AWS root;"
            + " to trust it for local testing add "
            + LocalAgentFiles.FLAGS
            + " (make run writes them; serve --simulated-root-out and --simulated-pcrs-out name"
            + " other files)");
  }
}
