package dev.teeagent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

class TlsIdentityTest {
  private static final TlsIdentity IDENTITY =
      TlsIdentity.generate("agent \"x\"", new SecureRandom(), Clock.systemUTC());

  @Test
  void theCertificateIsSelfSignedWithAP256Key() throws Exception {
    X509Certificate certificate = IDENTITY.certificate();
    certificate.verify(certificate.getPublicKey());
    certificate.checkValidity();
    assertThat(
            ((ECPublicKey) certificate.getPublicKey())
                .getParams()
                .getCurve()
                .getField()
                .getFieldSize())
        .isEqualTo(256);
    assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
  }

  @Test
  void thePinIsTheSha256OfTheDerSubjectPublicKeyInfoAsBouncyCastleReadsIt() throws Exception {
    SubjectPublicKeyInfo spki =
        new X509CertificateHolder(IDENTITY.certificate().getEncoded()).getSubjectPublicKeyInfo();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(spki.getEncoded("DER"));

    assertThat(IDENTITY.spkiSha256()).isEqualTo("0x" + HexFormat.of().formatHex(digest));
    assertThat(SpkiPin.curlPin(IDENTITY.spkiSha256()))
        .isEqualTo("sha256//" + Base64.getEncoder().encodeToString(digest));
  }

  @Test
  void eachStartMakesAnotherKeyAndNeitherPrintsIt() {
    TlsIdentity other = TlsIdentity.generate("agent", new SecureRandom(), Clock.systemUTC());

    assertThat(other.spkiSha256()).isNotEqualTo(IDENTITY.spkiSha256());
    assertThat(IDENTITY.toString()).contains(IDENTITY.spkiSha256()).contains("REDACTED");
  }

  @Test
  void pinsCompareOnlyWellFormedHashes() {
    String pin = IDENTITY.spkiSha256();

    assertThat(SpkiPin.same(pin, pin)).isTrue();
    assertThat(SpkiPin.same(pin, pin.toUpperCase(java.util.Locale.ROOT))).isFalse();
    assertThat(SpkiPin.same(pin, null)).isFalse();
    assertThatThrownBy(() -> new PinningTrustManager().pinTo("sha256//abc"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
