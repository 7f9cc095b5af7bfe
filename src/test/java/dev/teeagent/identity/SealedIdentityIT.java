package dev.teeagent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.nsm.JarMeasurement;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.Anvil;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.HttpProbe;
import dev.teeagent.testing.OperatorCommands;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.testing.TransactionRequests;
import dev.teeagent.tls.SpkiPin;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent with {@code --state-dir}, killed with SIGKILL and started again, against the
 * dev-kms stand-in trusting the simulated root the agent keeps in its state folder.
 */
class SealedIdentityIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<String, String> CREDENTIALS =
      Map.of("AWS_ACCESS_KEY_ID", "AKIDHOSTROLE", "AWS_SECRET_ACCESS_KEY", "host-secret");

  private static final String RECIPIENT = "0x000000000000000000000000000000000000bEEF";

  @TempDir Path stateDir;
  @TempDir Path kmsDir;
  private KmsStandIn kms;
  private final List<Process> agents = new ArrayList<>();

  @BeforeEach
  void startKms() throws IOException {
    // The simulated CA the agent will keep using, made where the agent looks for it.
    SimulatedNsm ca =
        SimulatedNsm.keptIn(stateDir.resolve("simulated-ca.properties"), Clock.systemUTC(), RANDOM);
    kms = new KmsStandIn(kmsDir, ca.rootCertificate());
    ca.close();
  }

  @AfterEach
  void stop() {
    agents.forEach(Process::destroyForcibly);
    kms.close();
  }

  private URI endpoint() {
    return kms.endpoint();
  }

  private ProcessBuilder serve(String keyId, String teeName, int port, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--port",
                Integer.toString(port),
                "--tee-name",
                teeName,
                "--operator",
                TestAgent.OPERATOR.checksummed(),
                "--state-dir",
                stateDir.toString(),
                "--kms-endpoint",
                endpoint().toString(),
                "--kms-key-id",
                keyId,
                "--kms-region",
                "us-east-1"));
    args.addAll(List.of(extra));
    return AgentJar.command(CREDENTIALS, args.toArray(String[]::new));
  }

  private TestAgent start(String keyId, int port, String... extra) throws Exception {
    Process agent =
        serve(keyId, "vault", port, extra).redirectOutput(stateDir.resolve("log").toFile()).start();
    agents.add(agent);
    HttpProbe.awaitOk(
        URI.create("http://127.0.0.1:" + port + "/api/v1/config"), Duration.ofSeconds(60));
    return TestAgent.remote(port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String refusal(ProcessBuilder builder) throws Exception {
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isEqualTo(2);
    assertThat(output).doesNotContain("listening on");
    return output;
  }

  private String jarKey() throws IOException {
    return kms.createKey(JarMeasurement.pcr0Hex(AgentJar.path()));
  }

  @Test
  void aKilledAgentComesBackWithItsAddressVariablesNoncesAndAuditAndRefusesOldBatches()
      throws Exception {
    String keyId = jarKey();
    int port = freePort();
    TestAgent first = start(keyId, port);
    JsonNode config = first.get("/api/v1/config").json();
    assertThat(config.path("identity").path("persisted").asBoolean()).isTrue();
    assertThat(config.at("/identity/new_identity_on_purpose").asBoolean()).isFalse();
    assertThat(config.at("/identity/custody/locked").asBoolean()).as(config.toString()).isTrue();
    OperatorCommands batch0 = OperatorCommands.to(first).set("greeting", "hello");
    String replayed = batch0.body();
    batch0.apply();
    OperatorCommands.to(first).setHidden("llm_api_key", "sk-secret").apply();
    JsonNode before = first.get("/api/v1/audit").json();

    agents.getLast().destroyForcibly().waitFor(); // kill -9 right after the 200
    TestAgent second = start(keyId, port);

    JsonNode after = second.get("/api/v1/config").json();
    assertThat(after.get("address")).isEqualTo(config.get("address"));
    assertThat(after.get("operator_nonce").asText()).isEqualTo("2");
    assertThat(after.path("identity").path("snapshot_counter").asLong()).isGreaterThan(2);
    assertThat(second.get("/api/v1/audit").json().get("head")).isEqualTo(before.get("head"));
    assertThat(second.get("/api/v1/variables/greeting").text()).contains("hello");
    TestAgent.Reply replay = second.post("/api/v1/variables", replayed);
    assertThat(replay.status()).as(replay.text()).isEqualTo(409);
    assertThat(replay.errorCode()).isEqualTo("stale_nonce");
    JsonNode next = OperatorCommands.to(second).set("greeting", "again").apply();
    assertThat(next.toString()).contains("\"audit_index\":2");
    assertThat(Files.readString(stateDir.resolve("log"))).doesNotContain("sk-secret");
  }

  @Test
  void aTamperedTruncatedOrOtherAgentsSnapshotStopsTheStartAndNoNewAddressAppears()
      throws Exception {
    String keyId = jarKey();
    int port = freePort();
    String address = start(keyId, port).get("/api/v1/config").json().get("address").asText();
    agents.getLast().destroyForcibly().waitFor();
    Path blob = stateDir.resolve(SealedIdentityStore.SNAPSHOT_FILE);
    byte[] good = Files.readAllBytes(blob);

    byte[] tampered = good.clone();
    tampered[tampered.length - 40] ^= 1;
    Files.write(blob, tampered);
    assertThat(refusal(serve(keyId, "vault", port)))
        .contains("--state-dir")
        .contains("does not start")
        .contains("fails authentication");
    assertThat(Files.readAllBytes(blob)).isEqualTo(tampered);

    Files.write(blob, java.util.Arrays.copyOf(good, good.length / 2));
    assertThat(refusal(serve(keyId, "vault", port))).contains("does not start");

    Files.write(blob, good);
    assertThat(refusal(serve(keyId, "another-agent", port)))
        .contains("does not start")
        .contains("refused the ciphertext");
    assertThat(Files.readAllBytes(blob)).isEqualTo(good);

    assertThat(start(keyId, port).get("/api/v1/config").json().get("address").asText())
        .isEqualTo(address);
    agents.getLast().destroyForcibly().waitFor();

    Process renewed =
        serve(keyId, "vault", port, "--new-identity")
            .redirectOutput(stateDir.resolve("log").toFile())
            .start();
    agents.add(renewed);
    JsonNode fresh =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                HttpProbe.awaitOk(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/config"),
                    Duration.ofSeconds(60)));
    assertThat(fresh.get("address").asText()).isNotEqualTo(address);
    assertThat(fresh.at("/identity/new_identity_on_purpose").asBoolean()).isTrue();
    assertThat(stateDir.resolve(SealedIdentityStore.SNAPSHOT_FILE + ".replaced")).exists();
  }

  @Test
  void aKmsKeyForOtherCodeRefusesAndTheAgentDoesNotStart() throws Exception {
    String otherCode = kms.createKey("ab".repeat(48));

    assertThat(refusal(serve(otherCode, "vault", freePort())))
        .contains("does not start")
        .contains("refused access");
    assertThat(stateDir.resolve(SealedIdentityStore.SNAPSHOT_FILE)).doesNotExist();
  }

  @Test
  void kmsFlagsWithoutAStateFolderAreRefusedNamingTheFlag() throws Exception {
    ProcessBuilder stray =
        AgentJar.command(
            CREDENTIALS,
            "serve",
            "--port",
            "0",
            "--tee-name",
            "x",
            "--operator",
            TestAgent.OPERATOR.checksummed(),
            "--kms-key-id",
            "k");
    assertThat(refusal(stray)).contains("--kms-key-id: only with --state-dir");
  }

  @Test
  void coinsSentBeforeARestartAreSpentAfterItAndAnOldAuthorizationIsRefused() throws Exception {
    String keyId = jarKey();
    int port = freePort();
    try (Anvil anvil = Anvil.start()) {
      TestAgent first = funded(anvil, keyId, port);
      String address = first.address();
      String before = TransactionRequests.to(first, anvil).transfer(RECIPIENT, 5).operator().body();
      TestAgent.Reply signed = first.post("/api/v1/sign-transaction", before);
      assertThat(signed.status()).as(signed.text()).isEqualTo(200);

      agents.getLast().destroyForcibly().waitFor();
      TestAgent second = start(keyId, port);
      JsonNode after = operatorTransferDuringCoolDown(second, anvil, 7);

      assertThat(second.address()).isEqualTo(address);
      assertThat(after.at("/transaction/nonce").asText()).isEqualTo("1");
      assertThat(anvil.receipt(after.get("transaction_hash").asText()).isStatusOK()).isTrue();
      assertThat(anvil.balance(RECIPIENT)).isEqualTo(12);
      assertThat(anvil.transactionCount(address)).isEqualTo(2);
      TestAgent.Reply replay = second.post("/api/v1/sign-transaction", before);
      assertThat(replay.status()).as(replay.text()).isEqualTo(409);
      assertThat(replay.errorCode()).isEqualTo("stale_nonce");
    }
  }

  @Test
  void aChangeWhoseSnapshotCannotBeStoredIsASigned503AndTheNextStoreCarriesIt() throws Exception {
    String keyId = jarKey();
    int port = freePort();
    TestAgent agent = start(keyId, port);
    Path moved = stateDir.resolveSibling(stateDir.getFileName() + "-moved");
    Files.move(stateDir, moved);
    TestAgent.Reply refused;
    try {
      refused = OperatorCommands.to(agent).set("greeting", "lost?").send();
    } finally {
      Files.move(moved, stateDir);
    }

    assertThat(refused.status()).as(refused.text()).isEqualTo(503);
    assertThat(refused.errorCode()).isEqualTo("state_not_stored");
    assertThat(refused.verifiedSigner().checksummed()).isEqualTo(agent.address());
    OperatorCommands.to(agent).set("other", "1").apply();
    agents.getLast().destroyForcibly().waitFor();
    TestAgent again = start(keyId, port);
    assertThat(again.get("/api/v1/config").json().get("operator_nonce").asText()).isEqualTo("2");
    assertThat(again.get("/api/v1/variables/greeting").text()).contains("lost?");
  }

  /** curl's exit code fetching /config over HTTPS with {@code pin} as its only trust. */
  private static ExternalCommand.Result pinnedCurl(int httpsPort, String pin) {
    return ExternalCommand.of(
            "curl",
            "-sS",
            "--max-time",
            "10",
            "--insecure",
            "--pinnedpubkey",
            SpkiPin.curlPin(pin),
            "https://127.0.0.1:" + httpsPort + "/api/v1/config")
        .run();
  }

  @Test
  void theHttpsPinSurvivesAKillAndAnOldPinnedCurlStillConnects() throws Exception {
    String keyId = jarKey();
    int port = freePort();
    int https = freePort();
    JsonNode config =
        start(keyId, port, "--https-port", Integer.toString(https)).get("/api/v1/config").json();
    String pin = config.get("tls_spki_sha256").asText();
    assertThat(SpkiPin.isPin(pin)).as(config.toString()).isTrue();
    assertThat(pinnedCurl(https, pin).exitCode()).isZero();

    agents.getLast().destroyForcibly().waitFor();
    JsonNode after =
        start(keyId, port, "--https-port", Integer.toString(https)).get("/api/v1/config").json();

    assertThat(after.get("tls_spki_sha256").asText()).isEqualTo(pin);
    assertThat(after.get("address")).isEqualTo(config.get("address"));
    ExternalCommand.Result curl = pinnedCurl(https, pin);
    assertThat(curl.exitCode()).as(curl.stderr()).isZero();
    assertThat(curl.stdout()).contains(config.get("address").asText());
    assertThat(Files.readString(stateDir.resolve("log"))).doesNotContain("PRIVATE KEY");
  }

  @Test
  void anIdentityMadeBeforeHttpsGetsOneKeptTlsKeyAndNewIdentityReplacesIt() throws Exception {
    String keyId = jarKey();
    int port = freePort();
    int https = freePort();
    String address = start(keyId, port).get("/api/v1/config").json().get("address").asText();
    agents.getLast().destroyForcibly().waitFor();
    String pin =
        start(keyId, port, "--https-port", Integer.toString(https))
            .get("/api/v1/config")
            .json()
            .get("tls_spki_sha256")
            .asText();
    agents.getLast().destroyForcibly().waitFor();
    // A boot without HTTPS carries the kept TLS key on.
    start(keyId, port);
    agents.getLast().destroyForcibly().waitFor();
    JsonNode again =
        start(keyId, port, "--https-port", Integer.toString(https)).get("/api/v1/config").json();
    assertThat(again.get("address").asText()).isEqualTo(address);
    assertThat(again.get("tls_spki_sha256").asText()).isEqualTo(pin);
    agents.getLast().destroyForcibly().waitFor();

    JsonNode replaced =
        start(keyId, port, "--https-port", Integer.toString(https), "--new-identity")
            .get("/api/v1/config")
            .json();

    assertThat(replaced.get("address").asText()).isNotEqualTo(address);
    assertThat(replaced.get("tls_spki_sha256").asText()).isNotEqualTo(pin);
    ExternalCommand.Result stale = pinnedCurl(https, pin);
    assertThat(stale.exitCode()).as(stale.stderr()).isEqualTo(90);
  }

  /**
   * A deadline the operator may sign during the cool-down after a restore: after its end, and no
   * further ahead than an authorization's lifetime (waits for the clock's next second if needed).
   */
  private static long deadlineAfterCoolDown(TestAgent agent) throws InterruptedException {
    long end = agent.get("/api/v1/config").json().at("/identity/cool_down_ends_at").asLong();
    assertThat(end).isPositive();
    long lifetime = dev.teeagent.transactions.RestoreCoolDown.AUTHORIZATION_LIFETIME.toSeconds();
    while (System.currentTimeMillis() / 1000 + lifetime <= end) {
      Thread.sleep(100);
    }
    return end + 1;
  }

  /** A first boot whose address holds 100 ether on {@code anvil}. */
  private TestAgent funded(Anvil anvil, String keyId, int port) throws Exception {
    TestAgent agent = start(keyId, port);
    anvil.setBalance(agent.address(), BigInteger.TEN.pow(20));
    return agent;
  }

  /** {@code wei} to RECIPIENT, authorized by the operator with a deadline after the cool-down. */
  private static JsonNode operatorTransferDuringCoolDown(TestAgent agent, Anvil anvil, long wei)
      throws InterruptedException {
    return TransactionRequests.to(agent, anvil)
        .transfer(RECIPIENT, wei)
        .operator()
        .deadline(deadlineAfterCoolDown(agent))
        .sign();
  }

  /** The envelope's {@code state} of a signed answer. */
  private static JsonNode signedState(TestAgent.Reply reply) {
    assertThat(reply.verifiedSigner()).isNotNull();
    return reply.json().get("state");
  }

  /** Sets the policy of API-signer and open mode: limits, the anvil RPC, {@code signer}. */
  private static void openPolicy(TestAgent agent, Anvil anvil, SigningKey signer) {
    OperatorCommands.to(agent)
        .set("tx_api_signers", signer.address().checksummed())
        .set("tx_open", "true")
        .set("tx_max_value_wei", "1000000")
        .set("tx_budget_wei", BigInteger.TEN.pow(19).toString())
        .set("tx_allowed_rpc_urls", anvil.rpcUrl())
        .apply();
  }

  @Test
  void afterAKillEveryEarlierApiSignerAndOperatorAuthorizationIsRefusedAndNewOnesWaitTheCoolDown()
      throws Exception {
    String keyId = jarKey();
    int port = freePort();
    SigningKey apiSigner = SigningKey.generate(RANDOM);
    try (Anvil anvil = Anvil.start()) {
      TestAgent first = funded(anvil, keyId, port);
      openPolicy(first, anvil, apiSigner);
      String bySigner =
          TransactionRequests.to(first, anvil).transfer(RECIPIENT, 3).signer(apiSigner).body();
      assertThat(first.post("/api/v1/sign-transaction", bySigner).status()).isEqualTo(200);
      String byOperator =
          TransactionRequests.to(first, anvil).transfer(RECIPIENT, 4).operator().body();
      assertThat(first.post("/api/v1/sign-transaction", byOperator).status()).isEqualTo(200);
      assertThat(
              first
                  .post(
                      "/api/v1/sign-transaction",
                      TransactionRequests.to(first, anvil).transfer(RECIPIENT, 5).body())
                  .status())
          .isEqualTo(200);

      agents.getLast().destroyForcibly().waitFor();
      TestAgent second = start(keyId, port);

      for (String old : List.of(bySigner, byOperator)) {
        TestAgent.Reply replay = second.post("/api/v1/sign-transaction", old);
        assertThat(replay.status()).as(replay.text()).isEqualTo(409);
        assertThat(replay.errorCode()).isEqualTo("stale_nonce");
      }
      TestAgent.Reply fresh =
          second.post(
              "/api/v1/sign-transaction",
              TransactionRequests.to(second, anvil)
                  .transfer(RECIPIENT, 6)
                  .signer(apiSigner)
                  .body());
      TestAgent.Reply open =
          second.post(
              "/api/v1/sign-transaction",
              TransactionRequests.to(second, anvil).transfer(RECIPIENT, 6).body());
      long end = second.get("/api/v1/config").json().at("/identity/cool_down_ends_at").asLong();
      for (TestAgent.Reply paused : List.of(fresh, open)) {
        assertThat(paused.status()).as(paused.text()).isEqualTo(503);
        assertThat(paused.errorCode()).isEqualTo("cooling_down");
        assertThat(paused.verifiedSigner().checksummed()).isEqualTo(second.address());
        assertThat(paused.json().at("/error/cool_down_ends_at").asLong()).isEqualTo(end);
        assertThat(Long.parseLong(paused.header("Retry-After")))
            .isBetween(
                1L,
                dev.teeagent.transactions.RestoreCoolDown.AUTHORIZATION_LIFETIME.toSeconds() + 1);
      }
      assertThat(anvil.balance(RECIPIENT)).isEqualTo(12);
    }
  }

  @Test
  void anOlderSnapshotHandedBackShowsInEveryAnswerCoolsDownAndItsNonceBehindTheChainIsAdvanced()
      throws Exception {
    String keyId = jarKey();
    int port = freePort();
    try (Anvil anvil = Anvil.start()) {
      TestAgent first = funded(anvil, keyId, port);
      String address = first.address();
      TransactionRequests.to(first, anvil).transfer(RECIPIENT, 1).operator().sign();
      Path old = Files.createDirectories(stateDir.resolveSibling(stateDir.getFileName() + "-old"));
      for (String file :
          List.of(SealedIdentityStore.SNAPSHOT_FILE, SealedIdentityStore.DATA_KEY_FILE)) {
        Files.copy(stateDir.resolve(file), old.resolve(file));
      }
      JsonNode older = signedState(first.get("/api/v1/config"));
      String lost = TransactionRequests.to(first, anvil).transfer(RECIPIENT, 2).operator().body();
      assertThat(first.post("/api/v1/sign-transaction", lost).status()).isEqualTo(200);
      OperatorCommands.to(first).set("greeting", "lost").apply();
      JsonNode latest = signedState(first.get("/api/v1/config"));
      assertThat(latest.get("counter").asLong()).isGreaterThan(older.get("counter").asLong());
      assertThat(latest.get("audit_length").asLong())
          .isEqualTo(older.get("audit_length").asLong() + 2);

      agents.getLast().destroyForcibly().waitFor();
      for (String file :
          List.of(SealedIdentityStore.SNAPSHOT_FILE, SealedIdentityStore.DATA_KEY_FILE)) {
        Files.copy(
            old.resolve(file),
            stateDir.resolve(file),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      TestAgent rolledBack = start(keyId, port);

      JsonNode now = signedState(rolledBack.get("/api/v1/variables"));
      assertThat(now.get("audit_length").asLong()).isEqualTo(older.get("audit_length").asLong());
      assertThat(now.get("audit_head")).isEqualTo(older.get("audit_head"));
      assertThat(now.get("counter").asLong()).isLessThan(latest.get("counter").asLong());
      TestAgent.Reply replay = rolledBack.post("/api/v1/sign-transaction", lost);
      assertThat(replay.status()).as(replay.text()).isEqualTo(503);
      assertThat(replay.errorCode()).isEqualTo("cooling_down");
      assertThat(anvil.transactionCount(address)).isEqualTo(2);

      JsonNode signed = operatorTransferDuringCoolDown(rolledBack, anvil, 4);

      assertThat(signed.at("/transaction/nonce").asText()).isEqualTo("2");
      assertThat(anvil.receipt(signed.get("transaction_hash").asText()).isStatusOK()).isTrue();
      assertThat(anvil.balance(RECIPIENT)).isEqualTo(7);
      JsonNode identity = rolledBack.get("/api/v1/config").json().get("identity");
      assertThat(identity.get("rollback_detected").asBoolean()).as(identity.toString()).isTrue();
      assertThat(identity.at("/rollback_evidence/0/chain_id").asLong()).isEqualTo(Anvil.CHAIN_ID);
      assertThat(identity.at("/rollback_evidence/0/restored_next").asText()).isEqualTo("1");
      assertThat(identity.at("/rollback_evidence/0/chain_count").asText()).isEqualTo("2");
      assertThat(Files.readString(stateDir.resolve("log"))).contains("ROLLBACK DETECTED on chain");
    }
  }
}
