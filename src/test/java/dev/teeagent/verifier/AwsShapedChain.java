package dev.teeagent.verifier;

import dev.teeagent.nsm.SigningChain;
import dev.teeagent.nsm.SimulatedChain;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * A throw-away P-384 chain of AWS's shape, as read from a real document's certificates: a root (CA,
 * key usage digitalSignature|keyCertSign|cRLSign, critical), a regional and a zonal intermediate
 * (path lengths 2 and 1, the same key usage), an instance CA (path length 0, keyCertSign only),
 * each CA with subject and authority key identifiers; and a leaf that lives three hours (CA:FALSE
 * critical, digitalSignature|nonRepudiation, not critical). Never trusted outside the test that
 * made it.
 */
public final class AwsShapedChain implements SigningChain {
  static final X500Name ROOT_NAME =
      new X500Name("C=US,O=Amazon (test),OU=AWS,CN=throwaway.aws.nitro-enclaves");
  private static final int CA_USAGE =
      KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign;

  private final SecureRandom random;
  private final Instant now;
  private final X509Certificate root;
  private final List<X509Certificate> intermediates = new ArrayList<>();
  private final SimulatedChain.Leaf leaf;

  public AwsShapedChain(Instant now, SecureRandom random, String moduleId) {
    this.random = random;
    this.now = now;
    String id = HexFormat.of().formatHex(random.generateSeed(8));
    String region = "us-east-1";
    KeyPair rootKey = SimulatedChain.keyPair(random);
    root =
        issue(
            ROOT_NAME,
            rootKey,
            null,
            rootKey,
            Duration.ofDays(365),
            new BasicConstraints(true),
            CA_USAGE);
    X500Name[] names = {
      new X500Name("C=US,O=Amazon,OU=AWS,CN=" + id + "." + region + ".aws.nitro-enclaves"),
      new X500Name("CN=" + id + ".zonal." + region + ".aws.nitro-enclaves,OU=AWS,O=Amazon,C=US"),
      new X500Name(
          "C=US,ST=Washington,L=Seattle,O=Amazon,OU=AWS,CN=i-"
              + id
              + "."
              + region
              + ".aws.nitro-enclaves")
    };
    Duration[] lifetimes = {Duration.ofDays(20), Duration.ofDays(6), Duration.ofDays(1)};
    int[] usages = {CA_USAGE, CA_USAGE, KeyUsage.keyCertSign};
    X509Certificate issuer = root;
    KeyPair issuerKey = rootKey;
    for (int i = 0; i < names.length; i++) {
      KeyPair key = SimulatedChain.keyPair(random);
      issuer =
          issue(
              names[i],
              key,
              issuer,
              issuerKey,
              lifetimes[i],
              new BasicConstraints(2 - i),
              usages[i]);
      intermediates.add(issuer);
      issuerKey = key;
    }
    KeyPair leafKey = SimulatedChain.keyPair(random);
    X500Name leafName =
        new X500Name(
            "C=US,ST=Washington,L=Seattle,O=Amazon,OU=AWS,CN=" + moduleId + "." + region + ".aws");
    leaf =
        new SimulatedChain.Leaf(
            issue(
                leafName,
                leafKey,
                issuer,
                issuerKey,
                SimulatedChain.LEAF_LIFETIME,
                new BasicConstraints(false),
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation),
            leafKey.getPrivate());
  }

  /** {@code issuer} null: self-signed. Leaves (not CA) carry no key identifiers, as AWS's. */
  private X509Certificate issue(
      X500Name subject,
      KeyPair subjectKey,
      X509Certificate issuer,
      KeyPair issuerKey,
      Duration lifetime,
      BasicConstraints constraints,
      int usage) {
    try {
      JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
      X500Name issuerName =
          issuer == null
              ? subject
              : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuerName,
              new BigInteger(64, random).setBit(63),
              Date.from(now.minusSeconds(60)),
              Date.from(now.plus(lifetime)),
              subject,
              subjectKey.getPublic());
      builder.addExtension(Extension.basicConstraints, true, constraints);
      builder.addExtension(Extension.keyUsage, constraints.isCA(), new KeyUsage(usage));
      if (constraints.isCA()) {
        builder.addExtension(
            Extension.subjectKeyIdentifier,
            false,
            ids.createSubjectKeyIdentifier(subjectKey.getPublic()));
        if (issuer != null) {
          builder.addExtension(
              Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(issuer));
        }
      }
      return SimulatedChain.signed(builder, issuerKey, random);
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a test certificate", e);
    }
  }

  @Override
  public X509Certificate root() {
    return root;
  }

  @Override
  public List<X509Certificate> cabundle() {
    List<X509Certificate> bundle = new ArrayList<>(List.of(root));
    bundle.addAll(intermediates);
    return List.copyOf(bundle);
  }

  @Override
  public SimulatedChain.Leaf leafAt(Instant now) {
    return leaf;
  }
}
