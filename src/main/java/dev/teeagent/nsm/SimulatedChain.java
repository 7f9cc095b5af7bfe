package dev.teeagent.nsm;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away P-384 CA for simulated attestation, shaped like AWS's: root → intermediate → leaf,
 * CA certificates with critical basic constraints and key usage. Like the real NSM's, the leaf is
 * short-lived (3 hours) and replaced by a fresh key an hour before it expires. Keys live in memory
 * and die with the process, unless the chain is kept in a state folder ({@link #keptIn}).
 */
public final class SimulatedChain implements SigningChain {
  // Written most-significant RDN first, as AWS's are encoded (printed: CN=…,OU=…,O=…).
  static final X500Name ROOT_NAME =
      new X500Name("O=Local,OU=TEE Agent (simulated),CN=simulated.nitro-enclaves");
  public static final Duration LEAF_LIFETIME = Duration.ofHours(3);
  private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofHours(1);
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private final SecureRandom random;
  private final X509Certificate root;
  private final KeyPair intermediateKey;
  private final X509Certificate intermediate;
  private final X500Name leafName;
  private Leaf leaf;

  /** The current leaf: its certificate and the key documents are signed with. */
  public record Leaf(X509Certificate certificate, PrivateKey key) {}

  private SimulatedChain(
      SecureRandom random,
      X509Certificate root,
      KeyPair intermediateKey,
      X509Certificate intermediate,
      X500Name leafName) {
    this.random = random;
    this.root = root;
    this.intermediateKey = intermediateKey;
    this.intermediate = intermediate;
    this.leafName = leafName;
  }

  /** A new chain whose CAs are valid from {@code now} (minus a few minutes) for 30 years. */
  public static SimulatedChain generate(Instant now, SecureRandom random, String moduleId) {
    KeyPair rootKey = keyPair(random);
    X509Certificate root =
        issue(ROOT_NAME, rootKey, ROOT_NAME, rootKey, now, Duration.ofDays(30 * 365), 1, random);
    KeyPair intermediateKey = keyPair(random);
    X509Certificate intermediate =
        issue(
            new X500Name(
                "CN="
                    + moduleId.substring(0, moduleId.indexOf("-enc"))
                    + ".simulated.nitro-enclaves"),
            intermediateKey,
            ROOT_NAME,
            rootKey,
            now,
            Duration.ofDays(30 * 365),
            0,
            random);
    return new SimulatedChain(
        random, root, intermediateKey, intermediate, new X500Name("CN=" + moduleId));
  }

  /**
   * The chain kept in {@code file} (a state folder's, so that restarts attest under the same root
   * and a dev-kms trusting it keeps answering), made and written there at the first start. The file
   * holds the intermediate's private key in clear: simulated mode proves nothing anyway.
   */
  static SimulatedChain keptIn(Path file, Instant now, SecureRandom random, String newModuleId) {
    Properties kept = new Properties();
    try {
      if (Files.exists(file)) {
        try (var in = Files.newInputStream(file)) {
          kept.load(in);
        }
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        Base64.Decoder b64 = Base64.getDecoder();
        X509Certificate root = certificate(x509, b64.decode(kept.getProperty("root")));
        X509Certificate intermediate =
            certificate(x509, b64.decode(kept.getProperty("intermediate")));
        PrivateKey key =
            KeyFactory.getInstance("EC")
                .generatePrivate(
                    new PKCS8EncodedKeySpec(b64.decode(kept.getProperty("intermediate_key"))));
        return new SimulatedChain(
            random,
            root,
            new KeyPair(intermediate.getPublicKey(), key),
            intermediate,
            new X500Name("CN=" + kept.getProperty("module_id")));
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      SimulatedChain chain = generate(now, random, newModuleId);
      Base64.Encoder b64 = Base64.getEncoder();
      kept.setProperty("module_id", newModuleId);
      kept.setProperty("root", b64.encodeToString(chain.root.getEncoded()));
      kept.setProperty("intermediate", b64.encodeToString(chain.intermediate.getEncoded()));
      kept.setProperty(
          "intermediate_key", b64.encodeToString(chain.intermediateKey.getPrivate().getEncoded()));
      Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".ca", ".tmp");
      try (var out = Files.newOutputStream(temporary)) {
        kept.store(out, "TEE Agent simulated CA (development only)");
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      return chain;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException("the simulated CA in " + file + " cannot be used", e);
    }
  }

  private static X509Certificate certificate(CertificateFactory x509, byte[] der)
      throws GeneralSecurityException {
    return (X509Certificate) x509.generateCertificate(new java.io.ByteArrayInputStream(der));
  }

  /** The module id of the leaf (kept with the chain). */
  String moduleId() {
    return leafName.getRDNs()[0].getFirst().getValue().toString();
  }

  @Override
  public X509Certificate root() {
    return root;
  }

  /** The cabundle of a document: root first, then the intermediate. */
  @Override
  public List<X509Certificate> cabundle() {
    return List.of(root, intermediate);
  }

  /** The leaf valid at {@code now}, issuing a new one when the current one is about to expire. */
  @Override
  public synchronized Leaf leafAt(Instant now) {
    if (leaf == null
        || now.isBefore(leaf.certificate().getNotBefore().toInstant())
        || now.plus(RENEW_BEFORE_EXPIRY).isAfter(leaf.certificate().getNotAfter().toInstant())) {
      KeyPair key = keyPair(random);
      X500Name issuer = X500Name.getInstance(intermediate.getSubjectX500Principal().getEncoded());
      leaf =
          new Leaf(
              issue(leafName, key, issuer, intermediateKey, now, LEAF_LIFETIME, -1, random),
              key.getPrivate());
    }
    return leaf;
  }

  /** ES384 over {@code data} with the leaf key: raw r‖s, 96 bytes, as COSE wants it. */
  public static byte[] sign(PrivateKey key, byte[] data, SecureRandom random) {
    try {
      Signature signer = Signature.getInstance("SHA384withECDSAinP1363Format");
      signer.initSign(key, random);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ES384 signing is unavailable", e);
    }
  }

  public static KeyPair keyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp384r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-384 keys are unavailable", e);
    }
  }

  /**
   * Issues a certificate. {@code pathLength} ≥ 0 makes a CA with that path length, 1 and up, the
   * root; -1 an end-entity (signing) certificate.
   */
  public static X509Certificate issue(
      X500Name subject,
      KeyPair subjectKey,
      X500Name issuer,
      KeyPair issuerKey,
      Instant now,
      Duration lifetime,
      int pathLength,
      SecureRandom random) {
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(64, random).setBit(63),
              Date.from(now.minus(BACKDATE)),
              Date.from(now.plus(lifetime)),
              subject,
              subjectKey.getPublic());
      boolean ca = pathLength >= 0;
      builder.addExtension(
          Extension.basicConstraints,
          true,
          ca ? new BasicConstraints(pathLength) : new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
      return signed(builder, issuerKey, random);
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot issue a simulated certificate", e);
    }
  }

  /** The certificate {@code builder} describes, signed SHA384withECDSA by {@code issuerKey}. */
  public static X509Certificate signed(
      JcaX509v3CertificateBuilder builder, KeyPair issuerKey, SecureRandom random) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA384withECDSA")
                      .setSecureRandom(random)
                      .build(issuerKey.getPrivate())));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a simulated certificate", e);
    }
  }
}
