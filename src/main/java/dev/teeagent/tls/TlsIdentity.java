package dev.teeagent.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
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
 * the agent's SecureRandom and never written anywhere. Nobody vouches for the certificate: clients
 * trust it because its key's hash ({@link #spkiSha256()}) is in the attested user_data preimage.
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
