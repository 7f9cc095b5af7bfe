package dev.teeagent.http;

import dev.teeagent.attestation.AttestationService;
import dev.teeagent.nsm.AttestationMode;
import dev.teeagent.verifier.UserDataPreimage;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An attestation as answered: {@code document} (base64 of the COSE_Sign1 bytes) is the evidence;
 * the decoded fields beside it are for convenience only (verifiers trust the document). PCRs are
 * plain hex under "PCRn", as nitro-cli prints them; other bytes are 0x-hex. The document's own
 * signed time is {@code document_timestamp} (the envelope's {@code timestamp} is the signing time).
 */
public record AttestationView(
    String document,
    String attestationMode,
    String moduleId,
    long documentTimestamp,
    Map<String, String> pcrs,
    String publicKey,
    String nonce,
    String userData,
    UserDataPreimage userDataPreimage) {

  static AttestationView of(AttestationService.Attestation attestation, AttestationMode mode) {
    HexFormat hex = HexFormat.of();
    Map<String, String> pcrs = new LinkedHashMap<>();
    attestation
        .fields()
        .pcrs()
        .forEach((index, value) -> pcrs.put("PCR" + index, hex.formatHex(value)));
    return new AttestationView(
        Base64.getEncoder().encodeToString(attestation.document()),
        mode.label(),
        attestation.fields().moduleId(),
        attestation.fields().timestampMillis(),
        pcrs,
        attestation.fields().publicKey().map(b -> "0x" + hex.formatHex(b)).orElse(null),
        attestation.fields().nonce().map(b -> "0x" + hex.formatHex(b)).orElse(null),
        attestation.fields().userData().map(b -> "0x" + hex.formatHex(b)).orElse(null),
        attestation.userDataPreimage());
  }
}
