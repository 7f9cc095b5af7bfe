package dev.teeagent.nsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.testing.MutableClock;
import dev.teeagent.verifier.AttestationDocument;
import dev.teeagent.verifier.AttestationVerificationException;
import dev.teeagent.verifier.AttestationVerifier;
import dev.teeagent.verifier.CborEncoding;
import dev.teeagent.verifier.CborReader;
import dev.teeagent.verifier.Check;
import dev.teeagent.verifier.CoseSign1;
import dev.teeagent.verifier.TrustedRoot;
import dev.teeagent.verifier.VerificationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedNsmTest {
  private static final HexFormat HEX = HexFormat.of();
  private final SecureRandom random = new SecureRandom();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final SimulatedNsm nsm = SimulatedNsm.start(clock, random);

  @TempDir Path dir;

  private AttestationVerifier simulatedRootVerifier() {
    return new AttestationVerifier(TrustedRoot.of(nsm.rootCertificate()), clock);
  }

  @Test
  void documentsRoundTripThroughTheVerifierWithTheSimulatedRoot() throws Exception {
    byte[] nonce = HEX.parseHex("00112233");
    byte[] document = nsm.attestation(new byte[] {7}, nonce, new byte[] {4, 5});
    AttestationDocument doc =
        simulatedRootVerifier()
            .verify(document, VerificationOptions.at(clock.instant()).withNonce(nonce))
            .document();
    assertThat(doc.timestamp()).isEqualTo(clock.instant());
    assertThat(doc.userData()).hasValueSatisfying(v -> assertThat(v).containsExactly(7));
    assertThat(doc.publicKey()).hasValueSatisfying(v -> assertThat(v).containsExactly(4, 5));
    assertThat(doc.moduleId()).isEqualTo(nsm.describe().moduleId());
  }

  @Test
  void simulatedDocumentsFailAgainstTheAwsRoot() throws Exception {
    byte[] document = nsm.attestation(null, null, null);
    assertThatThrownBy(
            () ->
                new AttestationVerifier(TrustedRoot.aws(), clock)
                    .verify(document, VerificationOptions.atDocumentTime()))
        .isInstanceOfSatisfying(
            AttestationVerificationException.class,
            e -> {
              assertThat(e.check()).isEqualTo(Check.CHAIN);
              assertThat(e.reason())
                  .contains("CN=simulated.nitro-enclaves")
                  .contains("is not the trusted AWS Nitro Enclaves root");
            });
  }

  @Test
  void documentsHaveTheShapeOfRealOnes() throws Exception {
    byte[] document = nsm.attestation(null, null, null);
    // Untagged array of 4, protected header {1: -35}, empty unprotected map.
    assertThat(HEX.formatHex(document, 0, 7)).isEqualTo("8444a1013822a0");
    CoseSign1 cose = CoseSign1.parse(document);
    assertThat(cose.signature()).hasSize(96);
    Map<Object, Object> payload = castMap(CborReader.decode(cose.payload()));
    assertThat(payload.keySet())
        .containsExactly(
            "module_id",
            "digest",
            "timestamp",
            "pcrs",
            "certificate",
            "cabundle",
            "public_key",
            "user_data",
            "nonce");
    assertThat(payload.get("nonce")).isSameAs(CborReader.NULL);
    AttestationDocument doc = AttestationDocument.parse(cose.payload());
    assertThat(doc.moduleId()).matches("i-[0-9a-f]{17}-enc[0-9a-f]{16}");
    assertThat(doc.pcrs()).hasSize(16).allSatisfy((index, pcr) -> assertThat(pcr).hasSize(48));
    assertThat(doc.cabundle()).hasSize(2);
    assertThat(doc.cabundle().getFirst()).isEqualTo(nsm.rootCertificate().getEncoded());
  }

  @Test
  void pcrsZeroToTwoMeasureTheCodeAndTheRestAreZero() throws Exception {
    Path a = Files.write(dir.resolve("a.jar"), new byte[] {1, 2, 3});
    Path b = Files.write(dir.resolve("b.jar"), new byte[] {1, 2, 4});
    Map<Integer, byte[]> pcrsA = CodeMeasurement.of(a).pcrs();
    Map<Integer, byte[]> pcrsB = CodeMeasurement.of(b).pcrs();
    for (int i = 0; i <= 2; i++) {
      assertThat(pcrsA.get(i)).isNotEqualTo(pcrsB.get(i)).isNotEqualTo(new byte[48]);
    }
    assertThat(pcrsA.get(0)).isNotEqualTo(pcrsA.get(1));
    for (int i = 3; i < 16; i++) {
      assertThat(pcrsA.get(i)).isEqualTo(new byte[48]);
    }
    assertThat(CodeMeasurement.of(a).pcrs().get(0)).isEqualTo(pcrsA.get(0));
  }

  @Test
  void describePcrAnswersTheDocumentsValues() throws Exception {
    AttestationDocument doc =
        AttestationDocument.parse(CoseSign1.parse(nsm.attestation(null, null, null)).payload());
    Nsm.PcrValue pcr0 = nsm.describePcr(0);
    assertThat(pcr0.locked()).isTrue();
    assertThat(pcr0.data()).isEqualTo(doc.pcrs().get(0));
    assertThat(nsm.describePcr(20).locked()).isFalse();
    assertThatThrownBy(() -> nsm.describePcr(40))
        .isInstanceOfSatisfying(
            NsmException.ErrorAnswer.class,
            e -> assertThat(e.code()).isEqualTo(NsmException.ErrorCode.InvalidIndex));
  }

  @Test
  void describeAndRandomAnswerLikeTheModule() throws Exception {
    Nsm.Description description = nsm.describe();
    assertThat(description.digest()).isEqualTo("SHA384");
    assertThat(description.maxPcrs()).isEqualTo(32);
    assertThat(description.lockedPcrs()).contains(0, 1, 2);
    byte[] first = nsm.random();
    assertThat(first).hasSize(256);
    assertThat(nsm.random()).isNotEqualTo(first);
  }

  @Test
  void anOversizedFieldIsAnsweredWithInputTooLarge() throws Exception {
    byte[] tooLarge =
        CborEncoding.encode(
            out -> {
              out.writeStartObject(null, 1);
              out.writeFieldName("Attestation");
              out.writeStartObject(null, 3);
              NsmMessages.writeOptional(out, "user_data", new byte[1025]);
              NsmMessages.writeOptional(out, "nonce", null);
              NsmMessages.writeOptional(out, "public_key", null);
              out.writeEndObject();
              out.writeEndObject();
            });
    assertThatThrownBy(
            () -> NsmMessages.answer("Attestation", nsm.exchange("Attestation", tooLarge)))
        .isInstanceOfSatisfying(
            NsmException.ErrorAnswer.class,
            e -> assertThat(e.code()).isEqualTo(NsmException.ErrorCode.InputTooLarge));
  }

  @Test
  void theShortLivedLeafIsRenewedAndOldDocumentsExpireWithIt() throws Exception {
    AttestationVerifier verifier = simulatedRootVerifier();
    Instant first = clock.instant();
    byte[] early = nsm.attestation(null, null, null);
    clock.advance(Duration.ofMinutes(150));
    byte[] late = nsm.attestation(null, null, null);
    List<byte[]> leaves = List.of(leafOf(early), leafOf(late));
    assertThat(leaves.get(0)).isNotEqualTo(leaves.get(1));
    verifier.verify(early, VerificationOptions.at(first));
    verifier.verify(late, VerificationOptions.at(clock.instant()));
    assertThatThrownBy(
            () ->
                verifier.verify(
                    early,
                    VerificationOptions.at(
                        first.plus(SimulatedChain.LEAF_LIFETIME).plusSeconds(1))))
        .isInstanceOfSatisfying(
            AttestationVerificationException.class,
            e -> assertThat(e.check()).isEqualTo(Check.CHAIN));
  }

  @Test
  void twoModulesHaveUnrelatedRoots() throws Exception {
    SimulatedNsm other = SimulatedNsm.start(Clock.systemUTC(), random);
    byte[] document = other.attestation(null, null, null);
    assertThatThrownBy(
            () -> simulatedRootVerifier().verify(document, VerificationOptions.atDocumentTime()))
        .isInstanceOf(AttestationVerificationException.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> castMap(Object decoded) {
    return (Map<Object, Object>) decoded;
  }

  private static byte[] leafOf(byte[] document) throws Exception {
    return AttestationDocument.parse(CoseSign1.parse(document).payload()).certificate();
  }
}
