package dev.teeagent.attestation;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * A throw-away chain of AWS's shape: a P-384 root, three intermediates (regional, zonal, instance;
 * path lengths 2, 1, 0) and a leaf that lives three hours, each CA with critical basic constraints
 * and keyCertSign|cRLSign, the leaf digitalSignature only. Never trusted outside the test that made
 * it.
 */
final class AwsShapedChain implements SigningChain {
  static final X500Name ROOT_NAME =
      new X500Name("C=US,O=Amazon (test),OU=AWS,CN=throwaway.aws.nitro-enclaves");
  private static final Duration CA_LIFETIME = Duration.ofDays(30);

  private final X509Certificate root;
  private final List<X509Certificate> intermediates;
  private final SimulatedChain.Leaf leaf;

  AwsShapedChain(Instant now, SecureRandom random, String moduleId) {
    String id = HexFormat.of().formatHex(random.generateSeed(8));
    KeyPair rootKey = SimulatedChain.keyPair(random);
    root =
        SimulatedChain.issue(ROOT_NAME, rootKey, ROOT_NAME, rootKey, now, CA_LIFETIME, 3, random);
    X500Name[] names = {
      new X500Name("C=US,O=Amazon,OU=AWS,CN=" + id + ".us-east-1.aws.nitro-enclaves"),
      new X500Name("C=US,O=Amazon,OU=AWS,CN=" + id + ".zonal.us-east-1.aws.nitro-enclaves"),
      new X500Name("C=US,O=Amazon,OU=AWS,CN=i-" + id + ".us-east-1a.us-east-1.aws.nitro-enclaves")
    };
    X500Name issuer = ROOT_NAME;
    KeyPair issuerKey = rootKey;
    List<X509Certificate> chain = new java.util.ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      KeyPair key = SimulatedChain.keyPair(random);
      chain.add(
          SimulatedChain.issue(names[i], key, issuer, issuerKey, now, CA_LIFETIME, 2 - i, random));
      issuer = names[i];
      issuerKey = key;
    }
    intermediates = List.copyOf(chain);
    KeyPair leafKey = SimulatedChain.keyPair(random);
    leaf =
        new SimulatedChain.Leaf(
            SimulatedChain.issue(
                new X500Name("C=US,O=Amazon,OU=AWS,CN=" + moduleId + ".us-east-1.aws"),
                leafKey,
                issuer,
                issuerKey,
                now,
                SimulatedChain.LEAF_LIFETIME,
                -1,
                random),
            leafKey.getPrivate());
  }

  @Override
  public X509Certificate root() {
    return root;
  }

  @Override
  public List<X509Certificate> cabundle() {
    List<X509Certificate> bundle = new java.util.ArrayList<>(List.of(root));
    bundle.addAll(intermediates);
    return List.copyOf(bundle);
  }

  @Override
  public SimulatedChain.Leaf leafAt(Instant now) {
    return leaf;
  }
}
