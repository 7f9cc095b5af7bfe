package dev.teeagent.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The agent's TLS key (ECDSA P-256) and its self-signed certificate, made in memory at start from
 * the agent's SecureRandom. Without a sealed identity it is never written anywhere; with one it is
 * kept only inside the sealed snapshot ({@link #restore}), so the pin survives restarts. Nobody
 * vouches for the certificate: clients trust it because its key's hash ({@link #spkiSha256()}) is
 * in the attested user_data preimage.
 */
public final class TlsIdentity {
  /** Long enough never to expire under a running agent; the pin, not the dates, is what counts. */
  private static final Duration VALIDITY = Duration.ofDays(3650);

  private final KeyPair keyPair;
  private final X509Certificate certificate;
  private final String spkiSha256;

  private TlsIdentity(KeyPair keyPair, X509Certificate certificate) {
    this.keyPair = keyPair;
    this.certificate = certificate;
    this.spkiSha256 = SpkiPin.sha256Hex(certificate);
  }

  public static TlsIdentity generate(String commonName, SecureRandom random, Clock clock) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair keyPair = generator.generateKeyPair();
      byte[] serial = new byte[16];
      random.nextBytes(serial);
      Instant now = clock.instant();
      X500Name name = new X500Name("CN=" + commonName.replaceAll("[^A-Za-z0-9 ._-]", "_"));
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(1, serial),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(VALIDITY)),
              name,
              keyPair.getPublic());
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA")
                          .setSecureRandom(random)
                          .build(keyPair.getPrivate())));
      return new TlsIdentity(keyPair, certificate);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make the TLS key", e);
    }
  }

  /**
   * Rebuilds the identity kept in a sealed snapshot; refuses a key that does not belong to the
   * certificate, so a mixed-up snapshot cannot serve a pin the key cannot answer for.
   */
  public static TlsIdentity restore(byte[] privateKeyPkcs8, byte[] certificateDer) {
    try {
      X509Certificate certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(certificateDer));
      PrivateKey privateKey =
          KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(privateKeyPkcs8));
      byte[] probe = "tls key check".getBytes(StandardCharsets.US_ASCII);
      Signature signing = Signature.getInstance("SHA256withECDSA");
      signing.initSign(privateKey);
      signing.update(probe);
      Signature checking = Signature.getInstance("SHA256withECDSA");
      checking.initVerify(certificate.getPublicKey());
      checking.update(probe);
      if (!checking.verify(signing.sign())) {
        throw new IllegalArgumentException("the TLS key does not match its certificate");
      }
      return new TlsIdentity(new KeyPair(certificate.getPublicKey(), privateKey), certificate);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("the TLS key or certificate is malformed", e);
    }
  }

  /** The private key as PKCS#8 DER, only to be sealed; the caller wipes it after use. */
  public byte[] privateKeyForSealing() {
    return keyPair.getPrivate().getEncoded();
  }

  /** The certificate's DER encoding. */
  public byte[] certificateDer() {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("the TLS certificate cannot be encoded", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** 0x-hex SHA-256 of the certificate's DER SubjectPublicKeyInfo: the attested pin. */
  public String spkiSha256() {
    return spkiSha256;
  }

  /** An in-memory key store holding the key under {@code password}, for the TLS listener. */
  public KeyStore keyStore(char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("tls", keyPair.getPrivate(), password, new Certificate[] {certificate});
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot hold the TLS key", e);
    }
  }

  @Override
  public String toString() {
    return "TlsIdentity[" + spkiSha256 + ", key REDACTED]";
  }
}
