package dev.teeagent.verifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/** The real AWS Nitro documents in src/test/resources/attestation (see the fixtures README). */
final class AwsFixtures {
  static final String PROD = "nitro_prod_2025-02-21.cbor";
  static final Instant PROD_TIME = Instant.ofEpochMilli(1740109477116L);
  static final String PROD_PCR0 =
      "294e8442cb9eccf0a6e0f7052cf43b2d294f557628a55d7ba7b0137aa13d944c90bd5f627cb6de29c60b7b861e790ea3";
  static final String PROD_PCR1 =
      "0343b056cd8485ca7890ddd833476d78460aed2aa161548e4e26bedf321726696257d623e8805f3f605946b3d8b0c6aa";
  static final String PROD_PCR2 =
      "4e805c51312651e9aebd8ea6bed35750f6c21d94110fcc02db66bbd321f605eaf863ba407e513ea93dc3b2b3f9f6922d";
  static final String PROD_NONCE = "0123456789abcdef0123456789abcdef01234567";

  static final String DEBUG = "nitro_debug_2022-10-12.cbor";
  static final Instant DEBUG_TIME = Instant.ofEpochMilli(1665582606081L);

  private AwsFixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = AwsFixtures.class.getResourceAsStream("/attestation/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
