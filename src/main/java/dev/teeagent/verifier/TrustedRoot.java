package dev.teeagent.verifier;

import dev.teeagent.json.UntrustedText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The certificate a verifier trusts at the top of a document's chain: the AWS Nitro Enclaves root
 * (bundled, and refused unless its SHA-256 equals the fingerprint AWS publishes, pinned here), or a
 * root the user names (the simulated root of a local agent).
 */
public final class TrustedRoot {
  /** SHA-256 of the DER of AWS_NitroEnclaves_Root-G1 (CN=aws.nitro-enclaves), as AWS publishes. */
  public static final String AWS_ROOT_SHA256 =
      "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b";

  private static final String AWS_ROOT_RESOURCE = "/attestation/aws_nitro_enclaves_root_g1.pem";

  private final X509Certificate certificate;
  private final String fingerprint;
  private final boolean aws;

  private TrustedRoot(X509Certificate certificate, boolean aws) {
    this.certificate = certificate;
    this.fingerprint = sha256Hex(certificate);
    this.aws = aws;
  }

  /** The bundled AWS root, after checking it against the pinned fingerprint. */
  public static TrustedRoot aws() {
    byte[] pem;
    try (InputStream in = TrustedRoot.class.getResourceAsStream(AWS_ROOT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the bundled AWS root certificate is missing");
      }
      pem = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TrustedRoot root = new TrustedRoot(parsePem(pem), true);
    if (!root.fingerprint.equals(AWS_ROOT_SHA256)) {
      throw new IllegalStateException("the bundled AWS root does not match the pinned fingerprint");
    }
    return root;
  }

  /** A root given by the user as PEM (e.g. from {@code serve --simulated-root-out}). */
  public static TrustedRoot fromPem(byte[] pem) {
    return new TrustedRoot(parsePem(pem), false);
  }

  public static TrustedRoot of(X509Certificate certificate) {
    return new TrustedRoot(certificate, false);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Lowercase hex SHA-256 of the DER encoding. */
  public String fingerprint() {
    return fingerprint;
  }

  public boolean isAws() {
    return aws;
  }

  /** "AWS Nitro root" or the subject, with the fingerprint, for reports. */
  public String describe() {
    String name =
        aws
            ? "AWS Nitro Enclaves root"
            : "root " + UntrustedText.quote(certificate.getSubjectX500Principal().getName(), 64);
    return name + " (sha256 " + fingerprint + ")";
  }

  /** The certificate as PEM text. */
  public static String toPem(X509Certificate certificate) {
    try {
      String base64 =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("certificate cannot be encoded", e);
    }
  }

  private static X509Certificate parsePem(byte[] pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(pem));
    } catch (CertificateException | ClassCastException e) {
      throw new IllegalArgumentException("not a PEM or DER X.509 certificate", e);
    }
  }

  private static String sha256Hex(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint the certificate", e);
    }
  }
}
