package dev.teeagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.App;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.AttestationSettings;
import dev.teeagent.devkms.DevKmsServer;
import dev.teeagent.identity.IdentitySettings;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.testing.Anvil;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.testing.TransactionRequests;
import dev.teeagent.verifier.TrustedRoot;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a sealed identity costs where it shows (issue 13): the agent's start with an unseal (KMS
 * Decrypt with Recipient, open, unseal, restore, store) and a first sealed start (GenerateDataKey)
 * against a start without {@code --state-dir}; an accepted operator batch and a signed, broadcast
 * transaction with the snapshot stored before the 200, against the same request to an agent without
 * one. Agents run in this JVM on loopback ports, dev-kms in this JVM, anvil as a process; the
 * configurations alternate round by round; medians. Run with bench/sealed-boot.sh [rounds].
 */
public final class SealedBootBench {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String RECIPIENT = "0x000000000000000000000000000000000000bEEF";

  private SealedBootBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    Path work = Files.createTempDirectory(Path.of("target"), "sealed-boot-bench");
    Path stateDir = work.resolve("state");
    TrustedRoot root;
    try (SimulatedNsm ca =
        SimulatedNsm.keptIn(
            stateDir.resolve("simulated-ca.properties"), Clock.systemUTC(), RANDOM)) {
      root = TrustedRoot.of(ca.rootCertificate());
    }
    try (DevKmsServer kms =
            DevKmsServer.start(
                "127.0.0.1",
                0,
                work.resolve("kms"),
                root,
                Clock.systemUTC(),
                RANDOM,
                "us-east-1",
                "111122223333",
                Optional.empty());
        Anvil anvil = Anvil.start()) {
      String keyId = kms.developmentKey(work.resolve("key-id"));
      Supplier<IdentitySettings> unseal = () -> identity(stateDir, kms, keyId, false);
      Supplier<IdentitySettings> fresh = () -> identity(stateDir, kms, keyId, true);
      start(Optional.of(fresh.get())).close(); // the identity the unseal rounds open

      Map<String, double[]> boots = new LinkedHashMap<>();
      for (String name : List.of(FRESH, FIRST_SEALED, UNSEAL)) {
        boots.put(name, new double[rounds]);
      }
      for (int round = -2; round < rounds; round++) {
        record(boots, FRESH, round, bootSeconds(Optional.empty()));
        record(boots, FIRST_SEALED, round, bootSeconds(Optional.of(fresh.get())));
        record(boots, UNSEAL, round, bootSeconds(Optional.of(unseal.get())));
      }
      print("start to listening", boots);

      try (App plain = start(Optional.empty());
          App sealed = start(Optional.of(unseal.get()))) {
        TestAgent withoutState = TestAgent.remote(plain.port());
        TestAgent withState = TestAgent.remote(sealed.port());
        for (TestAgent agent : List.of(withoutState, withState)) {
          anvil.setBalance(agent.address(), BigInteger.TEN.pow(21));
        }
        Map<String, double[]> requests = new LinkedHashMap<>();
        for (String name : List.of(BATCH, BATCH_SEALED, TRANSACTION, TRANSACTION_SEALED)) {
          requests.put(name, new double[rounds]);
        }
        for (int round = -3; round < rounds; round++) {
          record(requests, BATCH, round, batchSeconds(withoutState, round));
          record(requests, BATCH_SEALED, round, batchSeconds(withState, round));
          record(requests, TRANSACTION, round, transactionSeconds(withoutState, anvil));
          record(requests, TRANSACTION_SEALED, round, transactionSeconds(withState, anvil));
        }
        print("one request, end to end", requests);
        System.out.printf(
            Locale.ROOT,
            "state store's snapshot after the run: %d bytes%n",
            Files.size(stateDir.resolve("identity.sealed")));
      }
    }
  }

  private static final String FRESH = "start, no --state-dir (baseline)";
  private static final String FIRST_SEALED = "start, new sealed identity (GenerateDataKey)";
  private static final String UNSEAL = "start with unseal (Decrypt, restore)";
  private static final String BATCH = "accepted batch, no --state-dir (baseline)";
  private static final String BATCH_SEALED = "accepted batch, snapshot stored before 200";
  private static final String TRANSACTION = "signed transaction, no --state-dir";
  private static final String TRANSACTION_SEALED = "signed transaction, snapshot stored";

  private static App start(Optional<IdentitySettings> identity) {
    return App.start(
        new AgentSettings("bench", TestAgent.OPERATOR, "127.0.0.1", 0),
        AttestationSettings.simulated(),
        identity,
        Clock.systemUTC(),
        new SecureRandom());
  }

  private static double bootSeconds(Optional<IdentitySettings> identity) {
    long begin = System.nanoTime();
    App app = start(identity);
    double seconds = (System.nanoTime() - begin) / 1e9;
    app.close();
    return seconds;
  }

  private static double batchSeconds(TestAgent agent, int round) throws Exception {
    var batch = agent.operator().set("greeting", "hello " + round);
    long begin = System.nanoTime();
    JsonNode answer = batch.apply();
    double seconds = (System.nanoTime() - begin) / 1e9;
    if (answer == null) {
      throw new IllegalStateException("no answer");
    }
    return seconds;
  }

  /** The operator's signed transfer, broadcast to anvil: signing, snapshot, broadcast. */
  private static double transactionSeconds(TestAgent agent, Anvil anvil) throws Exception {
    String body = TransactionRequests.to(agent, anvil).transfer(RECIPIENT, 1).operator().body();
    long begin = System.nanoTime();
    TestAgent.Reply reply = agent.post("/api/v1/sign-transaction", body);
    double seconds = (System.nanoTime() - begin) / 1e9;
    if (reply.status() != 200) {
      throw new IllegalStateException("sign-transaction answered " + reply.text());
    }
    return seconds;
  }

  private static IdentitySettings identity(
      Path stateDir, DevKmsServer kms, String keyId, boolean newIdentity) {
    return IdentitySettings.load(
            new IdentitySettings.Flags(
                stateDir, null, kms.endpoint().toString(), keyId, "us-east-1", null, newIdentity),
            Map.of("AWS_ACCESS_KEY_ID", "AKIDBENCH", "AWS_SECRET_ACCESS_KEY", "bench"))
        .orElseThrow();
  }

  private static void record(Map<String, double[]> table, String name, int round, double value) {
    if (round >= 0) {
      table.get(name)[round] = value;
    }
  }

  private static void print(String title, Map<String, double[]> table) {
    System.out.println(title + ":");
    double base = CustodyBench.median(table.values().iterator().next());
    String previousBase = null;
    for (Map.Entry<String, double[]> entry : table.entrySet()) {
      double each = CustodyBench.median(entry.getValue());
      if (entry.getKey().contains("no --state-dir")) {
        base = each;
        previousBase = entry.getKey();
      }
      System.out.printf(
          Locale.ROOT,
          "  %-48s %9.1f ms   %6.2f x %s%n",
          entry.getKey(),
          each * 1e3,
          each / base,
          previousBase);
    }
  }
}
