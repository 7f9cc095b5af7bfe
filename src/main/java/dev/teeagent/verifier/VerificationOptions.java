package dev.teeagent.verifier;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What to check a document against besides the trusted root.
 *
 * @param at when the certificate chain must be valid; empty = at the document's own timestamp
 * @param maxAge when present, the document's timestamp must be within this of the verifier's now
 * @param expectedPcrs PCRs that must match (none = PCRs are reported, not checked)
 * @param nonce when present, the document must echo exactly these bytes
 * @param allowDebug accept a debug-mode enclave (all-zero PCR0), for testing only
 */
public record VerificationOptions(
    Optional<Instant> at,
    Optional<Duration> maxAge,
    ExpectedPcrs expectedPcrs,
    Optional<byte[]> nonce,
    boolean allowDebug) {

  public VerificationOptions {
    if (maxAge.isPresent() && (maxAge.get().isNegative() || maxAge.get().isZero())) {
      throw new IllegalArgumentException("maxAge must be positive");
    }
  }

  /** Chain valid at {@code time}; nothing else expected. */
  public static VerificationOptions at(Instant time) {
    return new VerificationOptions(
        Optional.of(time), Optional.empty(), ExpectedPcrs.none(), Optional.empty(), false);
  }

  /** Chain valid at the document's own timestamp; nothing else expected. */
  public static VerificationOptions atDocumentTime() {
    return new VerificationOptions(
        Optional.empty(), Optional.empty(), ExpectedPcrs.none(), Optional.empty(), false);
  }

  public VerificationOptions freshWithin(Duration window) {
    return new VerificationOptions(at, Optional.of(window), expectedPcrs, nonce, allowDebug);
  }

  public VerificationOptions withPcrs(ExpectedPcrs pcrs) {
    return new VerificationOptions(at, maxAge, pcrs, nonce, allowDebug);
  }

  public VerificationOptions withNonce(byte[] expected) {
    return new VerificationOptions(at, maxAge, expectedPcrs, Optional.of(expected), allowDebug);
  }

  public VerificationOptions allowingDebug(boolean allow) {
    return new VerificationOptions(at, maxAge, expectedPcrs, nonce, allow);
  }
}
