package dev.teeagent.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecipientEnvelopeTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static KeyPair enclaveKey;
  private static KeyPair otherKey;

  @BeforeAll
  static void keys() throws NoSuchAlgorithmException {
    enclaveKey = rsa();
    otherKey = rsa();
  }

  static KeyPair rsa() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048, RANDOM);
    return generator.generateKeyPair();
  }

  /** A real KMS CiphertextForRecipient (aws-nitro-enclaves-sdk-c's CMS test vector), as hex. */
  static byte[] kmsSample() throws IOException {
    try (InputStream in =
        RecipientEnvelopeTest.class.getResourceAsStream("/custody/kms-recipient-sample.hex")) {
      return HexFormat.of()
          .parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).replace("\n", ""));
    }
  }

  @Test
  void anEnvelopeOfKmsShapeOpensToItsPlaintext() throws Exception {
    byte[] dataKey = new byte[32];
    RANDOM.nextBytes(dataKey);
    byte[] cms = RecipientEnvelopeWriter.seal(dataKey, enclaveKey.getPublic(), RANDOM);

    assertThat(RecipientEnvelope.open(cms, enclaveKey.getPrivate())).isEqualTo(dataKey);
  }

  @Test
  void theWriterUsesIndefiniteLengthsAsKmsDoes() throws Exception {
    byte[] cms = RecipientEnvelopeWriter.seal(new byte[32], enclaveKey.getPublic(), RANDOM);
    byte[] sample = kmsSample();

    // ContentInfo, [0], EnvelopedData all indefinite, version 2, then the recipient SET.
    assertThat(Arrays.copyOf(cms, 20)).isEqualTo(Arrays.copyOf(sample, 20));
    // Five end-of-contents pairs close the indefinite constructions.
    assertThat(Arrays.copyOfRange(cms, cms.length - 10, cms.length)).containsOnly((byte) 0);
  }

  @Test
  void aRealKmsAnswerParsesAndIsRefusedCleanlyWithAKeyItWasNotMadeFor() throws Exception {
    // Its algorithms pass every check; only the RSA unwrap can fail (we lack the enclave's key).
    assertThatThrownBy(() -> RecipientEnvelope.open(kmsSample(), enclaveKey.getPrivate()))
        .isInstanceOf(CustodyException.class)
        .hasMessage(
            "the CMS envelope cannot be opened with this enclave's key: it was made for another key"
                + " or is damaged");
  }

  @Test
  void anEnvelopeForAnotherKeyIsRefused() throws Exception {
    byte[] cms = RecipientEnvelopeWriter.seal(new byte[32], otherKey.getPublic(), RANDOM);

    assertThatThrownBy(() -> RecipientEnvelope.open(cms, enclaveKey.getPrivate()))
        .isInstanceOf(CustodyException.class)
        .hasMessageContaining("made for another key");
  }

  @Test
  void everyTruncationIsRefusedWithOurOwnSentence() throws Exception {
    byte[] cms = RecipientEnvelopeWriter.seal(new byte[32], enclaveKey.getPublic(), RANDOM);
    for (int length = 0; length < cms.length; length++) {
      byte[] cut = Arrays.copyOf(cms, length);
      assertThatThrownBy(() -> RecipientEnvelope.open(cut, enclaveKey.getPrivate()))
          .as("cut to %d bytes", length)
          .isInstanceOf(CustodyException.class)
          .satisfies(RecipientEnvelopeTest::leaksNothing);
    }
  }

  @Test
  void everySingleByteChangeIsRefusedOrStillOpensToTheSamePlaintext() throws Exception {
    byte[] plaintext = new byte[32];
    RANDOM.nextBytes(plaintext);
    byte[] cms = RecipientEnvelopeWriter.seal(plaintext, enclaveKey.getPublic(), RANDOM);
    int refused = 0;
    for (int i = 0; i < cms.length; i += 3) {
      byte[] changed = cms.clone();
      changed[i] ^= 0x41;
      try {
        byte[] opened = RecipientEnvelope.open(changed, enclaveKey.getPrivate());
        // CBC is not authenticated: a changed IV or last-but-one block can still open. The sealing
        // format's GCM layer is what catches that; here only "no crash, no leak" is required.
        assertThat(opened).isNotNull();
      } catch (CustodyException e) {
        leaksNothing(e);
        refused++;
      }
    }
    assertThat(refused).isPositive();
  }

  @Test
  void garbageAndOversizedInputAreRefused() {
    assertThatThrownBy(() -> RecipientEnvelope.open(new byte[0], enclaveKey.getPrivate()))
        .hasMessage("the CMS envelope is empty");
    assertThatThrownBy(
            () ->
                RecipientEnvelope.open(
                    "not cms".getBytes(StandardCharsets.US_ASCII), enclaveKey.getPrivate()))
        .hasMessage("the CMS envelope is not a well-formed EnvelopedData");
    assertThatThrownBy(
            () ->
                RecipientEnvelope.open(
                    new byte[RecipientEnvelope.MAX_BYTES + 1], enclaveKey.getPrivate()))
        .hasMessageContaining("larger than");
  }

  static void leaksNothing(Throwable e) {
    assertThat(e.getMessage())
        .startsWith("the CMS ")
        .doesNotContain("Exception")
        .doesNotContain("org.bouncycastle")
        .doesNotContain("java.");
  }
}
