package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AttestationVerifierTest {
  private static final HexFormat HEX = HexFormat.of();
  private final AttestationVerifier aws =
      new AttestationVerifier(
          TrustedRoot.aws(), Clock.fixed(AwsFixtures.PROD_TIME, ZoneOffset.UTC));

  @Test
  void realProductionDocumentVerifiesWithTheAwsRootAtItsOwnTimestamp() throws Exception {
    VerifiedAttestation verified =
        aws.verify(
            AwsFixtures.bytes(AwsFixtures.PROD),
            VerificationOptions.atDocumentTime()
                .withPcrs(
                    ExpectedPcrs.none()
                        .with(0, AwsFixtures.PROD_PCR0)
                        .with(1, AwsFixtures.PROD_PCR1)
                        .with(2, AwsFixtures.PROD_PCR2))
                .withNonce(HEX.parseHex(AwsFixtures.PROD_NONCE)));
    AttestationDocument doc = verified.document();
    assertThat(doc.timestamp()).isEqualTo(AwsFixtures.PROD_TIME);
    assertThat(doc.pcrs()).hasSize(16);
    assertThat(doc.publicKey())
        .hasValueSatisfying(key -> assertThat(key).asString().isEqualTo("dummy"));
    assertThat(doc.userData()).hasValueSatisfying(data -> assertThat(data).hasSize(68));
    assertThat(doc.debugMode()).isFalse();
    assertThat(verified.root().isAws()).isTrue();
  }

  @Test
  void realDocumentsFailAsExpiredOneDayLater() {
    for (String name : new String[] {AwsFixtures.PROD, AwsFixtures.DEBUG}) {
      java.time.Instant documentTime =
          name.equals(AwsFixtures.PROD) ? AwsFixtures.PROD_TIME : AwsFixtures.DEBUG_TIME;
      assertThatThrownBy(
              () ->
                  aws.verify(
                      AwsFixtures.bytes(name),
                      VerificationOptions.at(documentTime.plus(Duration.ofDays(1)))
                          .allowingDebug(true)))
          .isInstanceOfSatisfying(
              AttestationVerificationException.class,
              e -> {
                assertThat(e.check()).isEqualTo(Check.CHAIN);
                assertThat(e.reason()).contains("is not valid at");
              });
    }
  }

  @Test
  void debugDocumentIsRefusedUnlessDebugIsAllowed() throws Exception {
    byte[] debug = AwsFixtures.bytes(AwsFixtures.DEBUG);
    assertThatThrownBy(() -> aws.verify(debug, VerificationOptions.atDocumentTime()))
        .isInstanceOfSatisfying(
            AttestationVerificationException.class,
            e -> {
              assertThat(e.check()).isEqualTo(Check.DEBUG_MODE);
              assertThat(e.reason()).contains("--allow-debug");
            });
    AttestationDocument doc =
        aws.verify(debug, VerificationOptions.atDocumentTime().allowingDebug(true)).document();
    assertThat(doc.debugMode()).isTrue();
    assertThat(doc.userData())
        .hasValueSatisfying(
            data ->
                assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo("hello, world!"));
    assertThat(doc.nonce()).isEmpty();
  }

  @Test
  void aWrongExpectedPcrFailsNamingItsIndex() {
    String wrong = "00".repeat(47) + "01";
    VerificationReport report =
        aws.check(
            AwsFixtures.bytes(AwsFixtures.PROD),
            VerificationOptions.atDocumentTime()
                .withPcrs(ExpectedPcrs.none().with(0, AwsFixtures.PROD_PCR0).with(1, wrong)));
    assertThat(report.passed()).isFalse();
    assertThat(report.failures())
        .singleElement()
        .satisfies(
            step -> {
              assertThat(step.check()).isEqualTo(Check.PCRS);
              assertThat(step.detail())
                  .contains("PCR1 is " + AwsFixtures.PROD_PCR1)
                  .doesNotContain("PCR0");
            });
  }

  @Test
  void aWrongNonceFails() {
    VerificationReport report =
        aws.check(
            AwsFixtures.bytes(AwsFixtures.PROD),
            VerificationOptions.atDocumentTime().withNonce(new byte[] {1, 2, 3}));
    assertThat(report.failures())
        .extracting(VerificationReport.Step::check)
        .containsExactly(Check.NONCE);
  }

  @Test
  void everyFlippedByteOfTheSignatureFails() {
    byte[] original = AwsFixtures.bytes(AwsFixtures.PROD);
    int signatureStart = original.length - CoseSign1.SIGNATURE_BYTES;
    for (int i = signatureStart; i < original.length; i++) {
      assertFailsAtSignature(flip(original, i), i);
    }
  }

  @Test
  void flippedBytesThroughoutThePayloadFail() {
    byte[] original = AwsFixtures.bytes(AwsFixtures.PROD);
    // Header bytes are exhaustive; the payload is sampled (each check costs an ES384 verify).
    for (int i = 0; i < original.length - CoseSign1.SIGNATURE_BYTES; i += i < 16 ? 1 : 7) {
      assertFailsAtSignature(flip(original, i), i);
    }
  }

  @Test
  void flippedBytesInsideEveryCertificateFail() throws Exception {
    byte[] original = AwsFixtures.bytes(AwsFixtures.PROD);
    AttestationDocument doc = aws.verify(original, VerificationOptions.atDocumentTime()).document();
    java.util.List<byte[]> certificates = new java.util.ArrayList<>(doc.cabundle());
    certificates.add(doc.certificate());
    for (byte[] certificate : certificates) {
      int start = indexOf(original, certificate);
      assertThat(start).isPositive();
      // The first bytes (DER header, serial) and the last (the issuer's signature over it).
      for (int i = 0; i < 12; i++) {
        assertFailsAtSignature(flip(original, start + i), start + i);
        int tail = start + certificate.length - 1 - i;
        assertFailsAtSignature(flip(original, tail), tail);
      }
    }
  }

  private void assertFailsAtSignature(byte[] document, int flippedAt) {
    VerificationReport report = aws.check(document, VerificationOptions.atDocumentTime());
    assertThat(report.passed()).as("flipped byte %d", flippedAt).isFalse();
    assertThat(report.failures().getFirst().check())
        .as("flipped byte %d", flippedAt)
        // A flip that breaks a field's shape is caught before the signature is checked.
        .isIn(Check.FIELDS, Check.SIGNATURE);
  }

  private static byte[] flip(byte[] original, int index) {
    byte[] flipped = original.clone();
    flipped[index] ^= 0x01;
    return flipped;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
