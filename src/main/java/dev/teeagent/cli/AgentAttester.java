package dev.teeagent.cli;

import dev.teeagent.attestation.AgentVerifier;
import dev.teeagent.attestation.AttestationVerifier;
import dev.teeagent.attestation.ExpectedPcrs;
import dev.teeagent.attestation.TrustedRoot;
import dev.teeagent.attestation.VerificationReport;
import dev.teeagent.crypto.Address;
import dev.teeagent.json.JsonMappers;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
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

  AttestedAgent attest(String url, TrustedRoot root, ExpectedPcrs pcrs, boolean allowDebug)
      throws CliFailure {
    HttpClient http = AgentClient.httpClient();
    AgentVerifier verifier =
        new AgentVerifier(new AttestationVerifier(root, clock), http, JsonMappers.strict(), random);
    AgentVerifier.AgentReport report;
    try {
      report =
          verifier.verify(URI.create(url), new AgentVerifier.Options(pcrs, MAX_AGE, allowDebug));
    } catch (IllegalArgumentException e) {
      throw new CliFailure("--url " + url + " is not a URL");
    }
    if (!report.passed() || report.agent().isEmpty()) {
      throw new CliFailure(
          "the agent's attestation does not verify:\n"
              + report.report().failures().stream()
                  .map(VerificationReport.Step::line)
                  .collect(Collectors.joining("\n")));
    }
    AgentVerifier.VerifiedAgent agent = report.agent().get();
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
}
