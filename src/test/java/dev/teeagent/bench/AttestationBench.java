package dev.teeagent.bench;

import dev.teeagent.nsm.NsmException;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.verifier.AttestationVerificationException;
import dev.teeagent.verifier.AttestationVerifier;
import dev.teeagent.verifier.ExpectedPcrs;
import dev.teeagent.verifier.TrustedRoot;
import dev.teeagent.verifier.VerificationOptions;
import dev.teeagent.verifier.VerifiedAttestation;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Simulated attestation documents made per second and full verifications per second (COSE
 * structure, ES384, chain, PCRs, nonce), against raw ES384 sign and verify of a message of the same
 * size in the same run. Single thread. Run with bench/attestation.sh.
 */
public final class AttestationBench {
  private static final int ROUNDS = 9;
  // P-384 code keeps getting faster for thousands of operations: warm up well before timing.
  private static final int WARM_UP_ROUNDS = 6;
  private static final SecureRandom RANDOM = new SecureRandom();

  private AttestationBench() {}

  public static void main(String[] args) throws Exception {
    int operations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    byte[] userData = random(32);
    byte[] nonce = random(32);
    byte[] publicKey = random(65);
    SimulatedNsm nsm = SimulatedNsm.start(Clock.systemUTC(), RANDOM);
    byte[] simulated = nsm.attestation(userData, nonce, publicKey);
    byte[] message = random(simulated.length - 100); // the signed payload's size

    KeyPair key = p384();
    Signature signer = Signature.getInstance("SHA384withECDSAinP1363Format");
    byte[] signature = sign(signer, key, message);

    AttestationVerifier simulatedVerifier =
        new AttestationVerifier(TrustedRoot.of(nsm.rootCertificate()), Clock.systemUTC());
    VerifiedAttestation once =
        simulatedVerifier.verify(simulated, VerificationOptions.atDocumentTime());
    ExpectedPcrs pcrs = ExpectedPcrs.none();
    for (int i = 0; i <= 2; i++) {
      pcrs = pcrs.with(i, HexFormat.of().formatHex(once.document().pcrs().get(i)));
    }
    VerificationOptions simulatedOptions =
        VerificationOptions.atDocumentTime().withPcrs(pcrs).withNonce(nonce);
    byte[] aws = resource("/attestation/nitro_prod_2025-02-21.cbor");
    AttestationVerifier awsVerifier =
        new AttestationVerifier(
            TrustedRoot.aws(), Clock.fixed(Instant.ofEpochMilli(1740109477116L), ZoneOffset.UTC));

    // The JDK's CertificateFactory caches parsed certificates with their signature checks, so a
    // chain seen before is almost free. "Cold" documents each come from a new simulated NSM, hence
    // a chain never seen: the cost of a verifier's first contact with an agent.
    int coldOperations = Math.max(1, operations / 8);
    java.util.Iterator<Runnable> cold = coldDocuments(coldOperations * (WARM_UP_ROUNDS + ROUNDS));

    // Rounds interleave every operation, so that load from other processes on the shared machine
    // shifts baseline and subject alike; each figure is the median over the rounds.
    Operation[] work = {
      () -> sign(signer, key, message),
      () -> verify(key, message, signature),
      () -> nsm.attestation(userData, nonce, publicKey),
      () -> simulatedVerifier.verify(simulated, simulatedOptions),
      () -> awsVerifier.verify(aws, VerificationOptions.atDocumentTime()),
      () -> {
        cold.next().run();
        return Boolean.TRUE;
      }
    };
    int[] counts = {operations, operations, operations, operations, operations, coldOperations};
    double[] rates = medians(counts, work);
    row("baseline: ES384 sign (" + message.length + " B, JCA)", rates[0], "ops/s", 0);
    row("baseline: ES384 verify (" + message.length + " B, JCA)", rates[1], "ops/s", 0);
    row("simulated document (NSM CBOR + COSE + sign)", rates[2], "docs/s", rates[0]);
    row("full verification, simulated doc (3 certs)", rates[3], "docs/s", rates[1]);
    row("full verification, real AWS doc (5 certs)", rates[4], "docs/s", rates[1]);
    row("full verification, cold chain (3 certs, new)", rates[5], "docs/s", rates[1]);
  }

  /** Documents from distinct simulated NSMs, each with the verification of its own root. */
  private static java.util.Iterator<Runnable> coldDocuments(int count) throws Exception {
    java.util.List<Runnable> checks = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      SimulatedNsm fresh = SimulatedNsm.start(Clock.systemUTC(), RANDOM);
      byte[] document = fresh.attestation(null, null, null);
      AttestationVerifier verifier =
          new AttestationVerifier(TrustedRoot.of(fresh.rootCertificate()), Clock.systemUTC());
      checks.add(
          () -> {
            try {
              verifier.verify(document, VerificationOptions.atDocumentTime());
            } catch (AttestationVerificationException e) {
              throw new AssertionError(e);
            }
          });
    }
    return checks.iterator();
  }

  private static void row(String label, double rate, String unit, double baseline) {
    String ratio =
        baseline > 0 ? String.format(Locale.ROOT, "  (%.2f x baseline)", rate / baseline) : "";
    System.out.printf(Locale.ROOT, "%-50s %8.0f %s%s%n", label, rate, unit, ratio);
  }

  interface Operation {
    Object run() throws GeneralSecurityException, NsmException, AttestationVerificationException;
  }

  /** Operations per second of each operation: median of 9 interleaved rounds after 6 warm-ups. */
  private static double[] medians(int[] counts, Operation[] work) throws Exception {
    double[][] rates = new double[work.length][ROUNDS];
    for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
      for (int w = 0; w < work.length; w++) {
        long start = System.nanoTime();
        for (int i = 0; i < counts[w]; i++) {
          if (work[w].run() == null) {
            throw new AssertionError("operation returned nothing");
          }
        }
        if (round >= 0) {
          rates[w][round] = counts[w] / ((System.nanoTime() - start) / 1e9);
        }
      }
    }
    double[] medians = new double[work.length];
    for (int w = 0; w < work.length; w++) {
      Arrays.sort(rates[w]);
      medians[w] = rates[w][ROUNDS / 2];
    }
    return medians;
  }

  private static byte[] sign(Signature signer, KeyPair key, byte[] message)
      throws GeneralSecurityException {
    signer.initSign(key.getPrivate(), RANDOM);
    signer.update(message);
    return signer.sign();
  }

  private static Boolean verify(KeyPair key, byte[] message, byte[] signature)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance("SHA384withECDSAinP1363Format");
    verifier.initVerify(key.getPublic());
    verifier.update(message);
    if (!verifier.verify(signature)) {
      throw new AssertionError("baseline signature does not verify");
    }
    return Boolean.TRUE;
  }

  private static KeyPair p384() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = AttestationBench.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing " + name);
      }
      return in.readAllBytes();
    }
  }
}
