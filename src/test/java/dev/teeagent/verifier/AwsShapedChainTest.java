package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The emulated NSM's chain has the shape of the chain in a real AWS document, level by level. */
class AwsShapedChainTest {
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String SUBJECT_KEY_ID = "2.5.29.14";
  private static final String AUTHORITY_KEY_ID = "2.5.29.35";

  @Test
  void everyLevelMatchesTheRealDocumentsChain() throws Exception {
    AttestationDocument real =
        AttestationDocument.parse(CoseSign1.parse(AwsFixtures.bytes(AwsFixtures.PROD)).payload());
    List<X509Certificate> aws = new ArrayList<>();
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    for (byte[] der : real.cabundle()) {
      aws.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
    }
    aws.add(
        (X509Certificate)
            factory.generateCertificate(new ByteArrayInputStream(real.certificate())));

    AwsShapedChain chain = new AwsShapedChain(Instant.now(), new SecureRandom(), "i-0-enc0");
    List<X509Certificate> ours = new ArrayList<>(chain.cabundle());
    ours.add(chain.leafAt(Instant.now()).certificate());

    assertThat(ours).hasSameSizeAs(aws).hasSize(5);
    for (int i = 0; i < aws.size(); i++) {
      X509Certificate expected = aws.get(i);
      X509Certificate actual = ours.get(i);
      assertThat(actual.getBasicConstraints())
          .as("path length %d", i)
          .isEqualTo(expected.getBasicConstraints());
      assertThat(actual.getKeyUsage()).as("key usage %d", i).isEqualTo(expected.getKeyUsage());
      for (String extension : List.of(KEY_USAGE, SUBJECT_KEY_ID, AUTHORITY_KEY_ID)) {
        assertThat(actual.getExtensionValue(extension) != null)
            .as("extension %s present at %d", extension, i)
            .isEqualTo(expected.getExtensionValue(extension) != null);
      }
      assertThat(actual.getCriticalExtensionOIDs())
          .as("critical extensions at %d", i)
          .isEqualTo(expected.getCriticalExtensionOIDs());
      assertThat(actual.getSigAlgName()).isEqualTo(expected.getSigAlgName());
    }
    X509Certificate leaf = ours.getLast();
    assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
        .isLessThanOrEqualTo(Duration.ofHours(3).plusMinutes(1));
    assertThat(Arrays.asList(leaf.getSubjectX500Principal().getName().split(",")))
        .anyMatch(part -> part.startsWith("CN=i-0-enc0."));
  }
}
