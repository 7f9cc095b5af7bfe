package dev.teeagent.cli;

import dev.teeagent.attestation.AttestationVerifier;
import dev.teeagent.attestation.ExpectedPcrs;
import dev.teeagent.attestation.TrustedRoot;
import dev.teeagent.attestation.VerificationOptions;
import dev.teeagent.attestation.VerificationReport;
import dev.teeagent.attestation.VerifiedAttestation;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Secp256k1;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * Establishes who the agent at a URL is before anything is signed for it or encrypted to it: a
 * fresh attestation document for a random nonce, verified against the trusted root (AWS, or a
 * simulated agent's root) and the expected PCRs. The agent's key is taken from the verified
 * document only, never from an unverified field of an answer.
 */
final class AgentAttester {
  /** How old a document fetched just now may be (clock differences included). */
  static final Duration MAX_AGE = Duration.ofMinutes(5);

  private final Clock clock;
  private final SecureRandom random;

  AgentAttester(Clock clock, SecureRandom random) {
    this.clock = clock;
    this.random = random;
  }

  /** The attested agent: its address and uncompressed public key, and how it was verified. */
  record AttestedAgent(Address address, byte[] publicKey, String how) {}

  AttestedAgent attest(AgentClient client, TrustedRoot root, ExpectedPcrs pcrs, boolean allowDebug)
      throws CliFailure {
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    AgentClient.Answer answer =
        client.get("/attestation?nonce=0x" + HexFormat.of().formatHex(nonce));
    if (answer.status() != 200 || !answer.json().path("document").isTextual()) {
      throw new CliFailure(
          "the agent gave no attestation document (HTTP "
              + answer.status()
              + "): "
              + answer.json().path("error").path("message").asText(""));
    }
    byte[] document;
    try {
      document = Base64.getDecoder().decode(answer.json().get("document").textValue());
    } catch (IllegalArgumentException e) {
      throw new CliFailure("the attestation document is not base64");
    }
    VerificationOptions options =
        VerificationOptions.at(clock.instant())
            .freshWithin(MAX_AGE)
            .withNonce(nonce)
            .withPcrs(pcrs)
            .allowingDebug(allowDebug);
    VerificationReport report = new AttestationVerifier(root, clock).check(document, options);
    if (!report.passed() || report.attestation().isEmpty()) {
      throw new CliFailure(
          "the agent's attestation does not verify:\n"
              + report.failures().stream()
                  .map(VerificationReport.Step::line)
                  .collect(Collectors.joining("\n")));
    }
    VerifiedAttestation verified = report.attestation().get();
    byte[] publicKey =
        verified
            .document()
            .publicKey()
            .orElseThrow(() -> new CliFailure("the attestation document carries no public key"));
    Address address;
    try {
      address = Secp256k1.addressOf(publicKey);
    } catch (IllegalArgumentException e) {
      throw new CliFailure("the attested public key is not an uncompressed secp256k1 key");
    }
    if (!answer.signer().orElseThrow().equals(address)) {
      throw new CliFailure("the attestation answer is not signed by the attested key");
    }
    String how =
        verified.root().describe()
            + (pcrs.isEmpty()
                ? ", PCRs not checked"
                : ", PCRs " + pcrs.values().keySet() + " match");
    return new AttestedAgent(address, publicKey, how);
  }
}
