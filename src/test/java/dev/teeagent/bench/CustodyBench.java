package dev.teeagent.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.custody.RecipientEnvelope;
import dev.teeagent.custody.RecipientEnvelopeWriter;
import dev.teeagent.custody.SealedIdentity;
import dev.teeagent.custody.SealedSnapshot;
import dev.teeagent.http.RequestEcho;
import dev.teeagent.http.ResponseSigner;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What sealed identity costs, against signing one answer ({@link ResponseSigner} on a small
 * payload: JCS, keccak, secp256k1) in the same run: sealing and unsealing a snapshot (AES-256-GCM)
 * of 4 KiB and 256 KiB of state, opening a KMS CiphertextForRecipient (RSA-2048 OAEP SHA-256 +
 * AES-256-CBC), and making the enclave's RSA-2048 key (once per boot). Single thread; operations
 * interleaved round by round so that load from other processes hits baseline and subject alike;
 * median of the rounds after warm-up. Run with bench/custody.sh [rounds].
 */
public final class CustodyBench {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SealedIdentity AGENT =
      new SealedIdentity("bench", "0x1111111111111111111111111111111111111111");

  private CustodyBench() {}

  interface Op {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    SigningKey agentKey = SigningKey.generate(RANDOM);
    ResponseSigner signer = new ResponseSigner("bench", agentKey, Clock.systemUTC());
    RequestEcho echo = new RequestEcho("GET", "/api/v1/health", "", "");
    byte[] dataKey = bytes(32);
    byte[] key = bytes(32);
    byte[] small = bytes(4 * 1024);
    byte[] large = bytes(256 * 1024);
    byte[] sealedSmall = SealedSnapshot.seal(dataKey, AGENT, 1, key, small, RANDOM);
    byte[] sealedLarge = SealedSnapshot.seal(dataKey, AGENT, 1, key, large, RANDOM);
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048, RANDOM);
    KeyPair enclave = rsa.generateKeyPair();
    byte[] cms = RecipientEnvelopeWriter.seal(dataKey, enclave.getPublic(), RANDOM);

    Map<String, Op> ops = new LinkedHashMap<>();
    ops.put(BASELINE, signingOneAnswer(signer, echo));
    ops.put("seal 4 KiB state", () -> SealedSnapshot.seal(dataKey, AGENT, 2, key, small, RANDOM));
    ops.put("unseal 4 KiB state", () -> SealedSnapshot.unseal(dataKey, AGENT, sealedSmall));
    ops.put("seal 256 KiB state", () -> SealedSnapshot.seal(dataKey, AGENT, 2, key, large, RANDOM));
    ops.put("unseal 256 KiB state", () -> SealedSnapshot.unseal(dataKey, AGENT, sealedLarge));
    ops.put(
        "open CiphertextForRecipient (RSA-2048)",
        () -> RecipientEnvelope.open(cms, enclave.getPrivate()));
    ops.put("generate RSA-2048 key (once per boot)", () -> rsa.generateKeyPair());

    report(ops, rounds, 3);
  }

  /**
   * Runs {@code ops} interleaved round by round ({@code warmups} rounds first, not counted) and
   * prints each one's median time and its ratio to the first (the baseline).
   */
  static void report(Map<String, Op> ops, int rounds, int warmups) throws Exception {
    Map<String, double[]> perRound = new LinkedHashMap<>();
    ops.keySet().forEach(name -> perRound.put(name, new double[rounds]));
    for (int round = -warmups; round < rounds; round++) {
      for (Map.Entry<String, Op> op : ops.entrySet()) {
        double seconds = time(op.getValue());
        if (round >= 0) {
          perRound.get(op.getKey())[round] = seconds;
        }
      }
    }
    double base = median(perRound.get(ops.keySet().iterator().next()));
    for (Map.Entry<String, double[]> entry : perRound.entrySet()) {
      double each = median(entry.getValue());
      System.out.printf(
          Locale.ROOT,
          "%-42s %10.1f µs   %8.2f x signing one answer%n",
          entry.getKey(),
          each * 1e6,
          each / base);
    }
  }

  static final String BASELINE = "baseline: sign one answer (ResponseSigner)";

  /** The baseline of the sealed-identity benches: one small answer signed. */
  static Op signingOneAnswer(ResponseSigner signer, RequestEcho echo) {
    return () -> {
      ObjectNode payload = JsonNodeFactory.instance.objectNode();
      payload.put("status_text", "ok");
      signer.sign(200, payload, echo, "");
    };
  }

  /** Seconds per operation, over enough repetitions to take ~0.2 s. */
  static double time(Op op) throws Exception {
    int n = 1;
    while (true) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        op.run();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      if (elapsed > 0.2 || n > 1 << 20) {
        return elapsed / n;
      }
      n *= 2;
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
