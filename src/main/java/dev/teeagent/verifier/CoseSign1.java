package dev.teeagent.verifier;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An attestation document's envelope: COSE_Sign1 (RFC 9052) with the protected header {1: -35}
 * (ES384), an empty unprotected header, the payload and a 96-byte r‖s signature. Nitro documents
 * are untagged; the COSE_Sign1 tag 18 is accepted on the outermost item, no other tag anywhere.
 */
public record CoseSign1(byte[] protectedHeader, byte[] payload, byte[] signature) {
  /** The largest document accepted; real ones are about 4.5 KiB (the NSM answers ≤ 12 KiB). */
  public static final int MAX_DOCUMENT_BYTES = 32 * 1024;

  public static final int SIGNATURE_BYTES = 96;
  private static final long ALG_LABEL = 1;
  private static final long ES384 = -35;
  private static final int COSE_SIGN1_TAG = 0xd2;

  public static CoseSign1 parse(byte[] document) throws AttestationVerificationException {
    if (document == null || document.length == 0) {
      throw invalid("the document is empty");
    }
    if (document.length > MAX_DOCUMENT_BYTES) {
      throw invalid("the document is larger than " + MAX_DOCUMENT_BYTES + " bytes");
    }
    byte[] untagged =
        (document[0] & 0xff) == COSE_SIGN1_TAG
            ? Arrays.copyOfRange(document, 1, document.length)
            : document;
    if (!(CborReader.decode(untagged) instanceof List<?> items) || items.size() != 4) {
      throw invalid("not a COSE_Sign1 structure (an array of 4 items)");
    }
    if (!(items.get(0) instanceof byte[] protectedHeader)) {
      throw invalid("COSE_Sign1 protected header is not a byte string");
    }
    if (!(items.get(1) instanceof Map<?, ?> unprotected) || !unprotected.isEmpty()) {
      throw invalid("COSE_Sign1 unprotected header must be an empty map");
    }
    if (!(items.get(2) instanceof byte[] payload) || payload.length == 0) {
      throw invalid("COSE_Sign1 payload is not a non-empty byte string");
    }
    if (!(items.get(3) instanceof byte[] signature) || signature.length != SIGNATURE_BYTES) {
      throw invalid("COSE_Sign1 signature is not a " + SIGNATURE_BYTES + "-byte ES384 signature");
    }
    if (!(CborReader.decode(protectedHeader) instanceof Map<?, ?> header)
        || header.size() != 1
        || !Long.valueOf(ES384).equals(header.get(ALG_LABEL))) {
      throw invalid("COSE_Sign1 protected header is not {1: -35} (ES384)");
    }
    return new CoseSign1(protectedHeader, payload, signature);
  }

  /** Sig_structure = ["Signature1", protected, external_aad = h'', payload], the signed bytes. */
  public byte[] toBeSigned() {
    return CborEncoding.encode(
        out -> {
          out.writeStartArray(null, 4);
          out.writeString("Signature1");
          out.writeBinary(protectedHeader);
          out.writeBinary(new byte[0]);
          out.writeBinary(payload);
          out.writeEndArray();
        });
  }

  /** The untagged COSE_Sign1 bytes, as the NSM returns them. */
  public byte[] encode() {
    return CborEncoding.encode(
        out -> {
          out.writeStartArray(null, 4);
          out.writeBinary(protectedHeader);
          out.writeStartObject(null, 0);
          out.writeEndObject();
          out.writeBinary(payload);
          out.writeBinary(signature);
          out.writeEndArray();
        });
  }

  public static byte[] es384ProtectedHeader() {
    return CborEncoding.encode(
        out -> {
          out.writeStartObject(null, 1);
          out.writeFieldId(ALG_LABEL);
          out.writeNumber(ES384);
          out.writeEndObject();
        });
  }

  private static AttestationVerificationException invalid(String reason) {
    return new AttestationVerificationException(Check.SIGNATURE, reason);
  }
}
