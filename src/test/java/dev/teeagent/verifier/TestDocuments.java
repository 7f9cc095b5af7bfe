package dev.teeagent.verifier;

import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import dev.teeagent.nsm.NsmMessages;
import dev.teeagent.nsm.SimulatedChain;
import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Signs hand-made payloads with a throw-away {@link SimulatedChain}, to build documents the NSM
 * never would: other encodings (indefinite lengths), wrong field types, swapped certificates.
 */
final class TestDocuments {
  final Instant now;
  final SimulatedChain chain;
  private final SecureRandom random = new SecureRandom();

  TestDocuments(Instant now) {
    this.now = now;
    this.chain = SimulatedChain.generate(now, random, "i-0123456789abcdef0-enc0123456789abcdef");
  }

  TrustedRoot root() {
    return TrustedRoot.of(chain.root());
  }

  /** A COSE_Sign1 of {@code payload}, signed by this chain's current leaf. */
  byte[] sign(byte[] payload) {
    byte[] header = CoseSign1.es384ProtectedHeader();
    byte[] toBeSigned = new CoseSign1(header, payload, new byte[0]).toBeSigned();
    byte[] signature = SimulatedChain.sign(chain.leafAt(now).key(), toBeSigned, random);
    return new CoseSign1(header, payload, signature).encode();
  }

  /** A valid payload; {@code definite} false writes every map and array with indefinite length. */
  byte[] payload(boolean definite, byte[] nonce) {
    return payload(definite, nonce, chain.cabundle(), chain.leafAt(now).certificate());
  }

  byte[] payload(
      boolean definite, byte[] nonce, List<X509Certificate> cabundle, X509Certificate leaf) {
    try {
      List<byte[]> bundle = new java.util.ArrayList<>();
      for (X509Certificate certificate : cabundle) {
        bundle.add(der(certificate));
      }
      return payload(definite, nonce, bundle, der(leaf));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A payload with raw certificate bytes, which need not even parse. */
  byte[] payload(boolean definite, byte[] nonce, List<byte[]> cabundle, byte[] leaf) {
    return payload(definite, cabundle, leaf, null, null, nonce);
  }

  /** A valid payload whose one optional field (public_key, user_data, nonce) is {@code value}. */
  byte[] payloadWithOnly(String field, byte[] value) {
    return payloadWith(
        field.equals("public_key") ? value : null,
        field.equals("user_data") ? value : null,
        field.equals("nonce") ? value : null);
  }

  /** A valid payload carrying the three optional fields as given (null: CBOR null). */
  byte[] payloadWith(byte[] publicKey, byte[] userData, byte[] nonce) {
    try {
      List<byte[]> bundle = new java.util.ArrayList<>();
      for (X509Certificate certificate : chain.cabundle()) {
        bundle.add(der(certificate));
      }
      return payload(
          true, bundle, der(chain.leafAt(now).certificate()), publicKey, userData, nonce);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private byte[] payload(
      boolean definite,
      List<byte[]> cabundle,
      byte[] leaf,
      byte[] publicKey,
      byte[] userData,
      byte[] nonce) {
    return CborEncoding.encode(
        out -> {
          startMap(out, definite, 9);
          out.writeFieldName("module_id");
          out.writeString("i-0123456789abcdef0-enc0123456789abcdef");
          out.writeFieldName("digest");
          out.writeString("SHA384");
          out.writeFieldName("timestamp");
          out.writeNumber(now.toEpochMilli());
          out.writeFieldName("pcrs");
          startMap(out, definite, 3);
          for (int i = 0; i < 3; i++) {
            out.writeFieldId(i);
            byte[] pcr = new byte[48];
            pcr[0] = (byte) (i + 1);
            out.writeBinary(pcr);
          }
          out.writeEndObject();
          out.writeFieldName("certificate");
          out.writeBinary(leaf);
          out.writeFieldName("cabundle");
          if (definite) {
            out.writeStartArray(null, cabundle.size());
          } else {
            out.writeStartArray();
          }
          for (byte[] certificate : cabundle) {
            out.writeBinary(certificate);
          }
          out.writeEndArray();
          NsmMessages.writeOptional(out, "public_key", publicKey);
          NsmMessages.writeOptional(out, "user_data", userData);
          NsmMessages.writeOptional(out, "nonce", nonce);
          out.writeEndObject();
        });
  }

  private static void startMap(CBORGenerator out, boolean definite, int size) throws IOException {
    if (definite) {
      out.writeStartObject(null, size);
    } else {
      out.writeStartObject();
    }
  }

  static byte[] der(X509Certificate certificate) throws IOException {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IOException(e);
    }
  }
}
