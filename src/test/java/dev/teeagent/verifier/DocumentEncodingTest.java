package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.nsm.SimulatedChain;
import dev.teeagent.nsm.SimulatedNsm;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Documents the NSM would not make, signed by a test chain: encodings, types and chains. */
class DocumentEncodingTest {
  private final TestDocuments documents = new TestDocuments(Instant.parse("2026-02-01T00:00:00Z"));
  private final AttestationVerifier verifier =
      new AttestationVerifier(documents.root(), Clock.fixed(documents.now, ZoneOffset.UTC));

  private AttestationVerificationException failure(byte[] document) {
    try {
      verifier.verify(document, VerificationOptions.atDocumentTime());
    } catch (AttestationVerificationException e) {
      return e;
    }
    throw new AssertionError("the document verified");
  }

  @Test
  void indefiniteLengthMapsAndArraysVerify() throws Exception {
    byte[] payload = documents.payload(false, new byte[] {9});
    assertThat(payload[0] & 0xff).isEqualTo(0xbf);
    AttestationDocument doc =
        verifier
            .verify(
                documents.sign(payload),
                VerificationOptions.atDocumentTime().withNonce(new byte[] {9}))
            .document();
    assertThat(doc.pcrs()).hasSize(3);
  }

  @Test
  void theCoseTag18IsAcceptedOnTheOutermostItem() throws Exception {
    byte[] untagged = documents.sign(documents.payload(true, null));
    byte[] tagged = new byte[untagged.length + 1];
    tagged[0] = (byte) 0xd2;
    System.arraycopy(untagged, 0, tagged, 1, untagged.length);
    verifier.verify(tagged, VerificationOptions.atDocumentTime());
  }

  @Test
  void payloadFieldsOfTheWrongTypeAreRefusedNamingTheField() {
    byte[] textTimestamp =
        CborEncoding.encode(
            out -> {
              out.writeStartObject(null, 1);
              out.writeFieldName("timestamp");
              out.writeString("yesterday");
              out.writeEndObject();
            });
    assertThat(failure(documents.sign(textTimestamp)).reason()).contains("module_id");
    byte[] textPcrIndex =
        replace(
            documents.payload(true, null),
            new byte[] {0x00, 0x58, 0x30},
            new byte[] {0x61, 0x30, 0x58, 0x30});
    assertThat(failure(documents.sign(textPcrIndex)).reason()).contains("PCR index \"0\"");
    byte[] unknown = replace(documents.payload(true, null), ascii("nonce"), ascii("noncx"));
    assertThat(failure(documents.sign(unknown)).reason())
        .contains("unknown payload field \"noncx\"");
    byte[] sha256 = replace(documents.payload(true, null), ascii("SHA384"), ascii("SHA256"));
    assertThat(failure(documents.sign(sha256)).reason()).contains("digest is not SHA384");
    assertThat(failure(documents.sign(sha256)).check()).isEqualTo(Check.FIELDS);
  }

  @Test
  void theOptionalFieldsMayHoldZeroTo1024BytesAsAwsCddlSays() throws Exception {
    byte[] full = new byte[1024];
    java.util.Arrays.fill(full, (byte) 7);
    AttestationDocument doc =
        verifier
            .verify(
                documents.sign(documents.payloadWith(new byte[0], full, full)),
                VerificationOptions.atDocumentTime().withNonce(full))
            .document();
    assertThat(doc.publicKey()).hasValueSatisfying(key -> assertThat(key).isEmpty());
    assertThat(doc.userData()).hasValueSatisfying(data -> assertThat(data).hasSize(1024));
    verifier.verify(
        documents.sign(documents.payloadWith(full, new byte[0], null)),
        VerificationOptions.atDocumentTime());
  }

  @Test
  void aFieldOver1024BytesFailsUnderTheFieldsCheckNotTheSignature() {
    byte[] over = new byte[1025];
    for (String field : new String[] {"public_key", "user_data", "nonce"}) {
      byte[] payload = documents.payloadWithOnly(field, over);
      VerificationReport report =
          verifier.check(documents.sign(payload), VerificationOptions.atDocumentTime());
      assertThat(report.passed()).isFalse();
      assertThat(report.failures().getFirst().line())
          .isEqualTo("FAIL  fields: " + field + " is not a byte string of 0 to 1024 bytes");
    }
  }

  @Test
  void whatTheNsmProducesForMaximalFieldsVerifies() throws Exception {
    SimulatedNsm nsm = SimulatedNsm.start(Clock.systemUTC(), new SecureRandom());
    byte[] full = new byte[1024];
    byte[] document = nsm.attestation(full, full, new byte[0]);
    VerifiedAttestation verified =
        new AttestationVerifier(TrustedRoot.of(nsm.rootCertificate()), Clock.systemUTC())
            .verify(document, VerificationOptions.atDocumentTime().withNonce(full));
    assertThat(verified.document().nonce()).hasValueSatisfying(n -> assertThat(n).hasSize(1024));
  }

  @Test
  void anIntermediateFromAnotherChainBreaksTheChain() throws Exception {
    TestDocuments other = new TestDocuments(documents.now);
    List<X509Certificate> mixed = List.of(documents.chain.root(), other.chain.cabundle().get(1));
    byte[] payload =
        documents.payload(true, null, mixed, documents.chain.leafAt(documents.now).certificate());
    AttestationVerificationException e = failure(documents.sign(payload));
    assertThat(e.check()).isEqualTo(Check.CHAIN);
  }

  @Test
  void aLeafIssuedByTheRootDirectlyButNotAsTheBundleSaysStillNeedsValidSignatures() {
    SecureRandom random = new SecureRandom();
    KeyPair impostorKey = SimulatedChain.keyPair(random);
    KeyPair leafKey = SimulatedChain.keyPair(random);
    // A leaf claiming the real intermediate as issuer but signed by an impostor key.
    X509Certificate forged =
        SimulatedChain.issue(
            new org.bouncycastle.asn1.x500.X500Name("CN=forged"),
            leafKey,
            org.bouncycastle.asn1.x500.X500Name.getInstance(
                documents.chain.cabundle().get(1).getSubjectX500Principal().getEncoded()),
            impostorKey,
            documents.now,
            Duration.ofHours(1),
            -1,
            random);
    byte[] payload = documents.payload(true, null, documents.chain.cabundle(), forged);
    byte[] header = CoseSign1.es384ProtectedHeader();
    byte[] signature =
        SimulatedChain.sign(
            leafKey.getPrivate(), new CoseSign1(header, payload, new byte[0]).toBeSigned(), random);
    AttestationVerificationException e =
        failure(new CoseSign1(header, payload, signature).encode());
    assertThat(e.check()).isEqualTo(Check.CHAIN);
    assertThat(e.reason()).contains("CN=forged").contains("signature does not verify");
  }

  @Test
  void aDocumentSignedByAnotherKeyThanItsLeafFails() {
    byte[] payload = documents.payload(true, null);
    byte[] header = CoseSign1.es384ProtectedHeader();
    byte[] signature =
        SimulatedChain.sign(
            SimulatedChain.keyPair(new SecureRandom()).getPrivate(),
            new CoseSign1(header, payload, new byte[0]).toBeSigned(),
            new SecureRandom());
    assertThat(failure(new CoseSign1(header, payload, signature).encode()).check())
        .isEqualTo(Check.SIGNATURE);
  }

  @Test
  void freshnessComparesTheDocumentTimeWithNow() throws Exception {
    byte[] document = documents.sign(documents.payload(true, null));
    AttestationVerifier later =
        new AttestationVerifier(
            documents.root(), Clock.fixed(documents.now.plusSeconds(600), ZoneOffset.UTC));
    VerificationReport stale =
        later.check(
            document, VerificationOptions.atDocumentTime().freshWithin(Duration.ofMinutes(5)));
    assertThat(stale.failures())
        .extracting(VerificationReport.Step::check)
        .containsExactly(Check.FRESHNESS);
    assertThat(
            later
                .check(
                    document,
                    VerificationOptions.atDocumentTime().freshWithin(Duration.ofMinutes(15)))
                .passed())
        .isTrue();
    assertThatThrownBy(() -> VerificationOptions.atDocumentTime().freshWithin(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Replaces the first occurrence of {@code from} with {@code to}. */
  private static byte[] replace(byte[] data, byte[] from, byte[] to) {
    for (int i = 0; i <= data.length - from.length; i++) {
      if (java.util.Arrays.equals(data, i, i + from.length, from, 0, from.length)) {
        byte[] out = new byte[data.length - from.length + to.length];
        System.arraycopy(data, 0, out, 0, i);
        System.arraycopy(to, 0, out, i, to.length);
        System.arraycopy(data, i + from.length, out, i + to.length, data.length - i - from.length);
        return out;
      }
    }
    throw new AssertionError("pattern not found");
  }
}
