package dev.teeagent.verifier;

import dev.teeagent.tls.PinningTrustManager;
import dev.teeagent.tls.SpkiPin;
import dev.teeagent.verifier.VerificationReport.Step;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Check#TLS_KEY} step of verifying an agent over https://: the key that terminated each
 * connection carrying /attestation and /config must be the one the attested preimage names. A
 * document replayed by another server over its own TLS fails here, however genuine the document.
 */
final class TlsKeyCheck {
  private TlsKeyCheck() {}

  static Step check(
      UserDataPreimage preimage, Optional<String> attestationPeer, Optional<String> configPeer) {
    String attested = preimage.tlsSpkiSha256();
    if (attested == null) {
      return Step.failed(
          Check.TLS_KEY,
          "the agent attests no TLS key (no tls_spki_sha256 in user_data_preimage): its HTTPS is"
              + " not terminated in the enclave, so an https:// URL proves nothing; the agent must"
              + " run with --https-port");
    }
    if (!SpkiPin.isPin(attested)) {
      return Step.failed(Check.TLS_KEY, "tls_spki_sha256 is not 0x and 64 lower-case hex digits");
    }
    for (Optional<String> peer : List.of(attestationPeer, configPeer)) {
      if (peer.isEmpty()) {
        return Step.failed(Check.TLS_KEY, "an answer came without TLS, though https:// was asked");
      }
      if (!SpkiPin.same(peer.get(), attested)) {
        return Step.failed(Check.TLS_KEY, PinningTrustManager.mismatch(peer.get(), attested));
      }
    }
    return Step.passed(
        Check.TLS_KEY,
        "the connections that carried /attestation and /config ended at the attested TLS key "
            + attested
            + " (curl --pinnedpubkey "
            + SpkiPin.curlPin(attested)
            + ")");
  }
}
