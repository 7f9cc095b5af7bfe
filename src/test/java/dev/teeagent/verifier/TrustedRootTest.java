package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.nsm.SimulatedNsm;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class TrustedRootTest {
  @Test
  void theBundledAwsRootIsTheOneAwsPublishesAndMatchesThePinnedFingerprint() throws Exception {
    TrustedRoot aws = TrustedRoot.aws();
    assertThat(aws.isAws()).isTrue();
    assertThat(aws.fingerprint())
        .isEqualTo(TrustedRoot.AWS_ROOT_SHA256)
        .isEqualTo("641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b");
    assertThat(aws.certificate().getEncoded())
        .isEqualTo(AwsFixtures.bytes("aws_nitro_enclaves_root_g1.der"));
    assertThat(aws.certificate().getSubjectX500Principal().getName())
        .contains("CN=aws.nitro-enclaves");
  }

  @Test
  void aPemRootRoundTripsAndIsNotMistakenForAws() {
    SimulatedNsm nsm = SimulatedNsm.start(Clock.systemUTC(), new SecureRandom());
    String pem = TrustedRoot.toPem(nsm.rootCertificate());
    TrustedRoot root = TrustedRoot.fromPem(pem.getBytes(StandardCharsets.US_ASCII));
    assertThat(root.certificate()).isEqualTo(nsm.rootCertificate());
    assertThat(root.isAws()).isFalse();
    assertThat(root.describe()).startsWith("root CN=simulated.nitro-enclaves");
  }

  @Test
  void garbageIsNotARoot() {
    assertThatThrownBy(
            () -> TrustedRoot.fromPem("not a certificate".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
