package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.Anvil;
import dev.teeagent.testing.MutableClock;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.testing.TransactionRequests;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every rule of the transaction policy (DESIGN §5) against the real agent, its variables set
 * through the real {@code POST /variables}: each refusal is a signed 403 (or 409 for nonces and
 * deadlines) naming the rule, with nothing signed, no nonce and no budget used; and each rule lets
 * through what it should. A fresh agent per test, one chain for all.
 */
class TransactionPolicyIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final BigInteger FUNDS = BigInteger.TEN.pow(20);
  private static final long GWEI = 1_000_000_000L;
  private static final BigInteger FEE = BigInteger.valueOf(21_000 * GWEI);
  private static final String API_SIGNER_KEY =
      "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
  private static final SigningKey API_SIGNER = SigningKey.fromPrivateKeyHex(API_SIGNER_KEY);
  private static final SigningKey STRANGER = SigningKey.generate(new SecureRandom());
  private static Anvil anvil;
  private static String token;
  @StartedAgent private TestAgent agent;

  @BeforeAll
  static void startChain() throws Exception {
    anvil = Anvil.start();
    String bytecode =
        Files.readString(
            NodeScript.projectDir().resolve("src/test/resources/transactions/MinimalToken.bin"));
    token = anvil.deploy(bytecode, "0".repeat(64) + "0".repeat(63) + "1");
  }

  @AfterAll
  static void stopChain() {
    if (anvil != null) {
      anvil.close();
    }
  }

  @BeforeEach
  void fundAgent() {
    anvil.setBalance(agent.address(), FUNDS);
  }

  private TransactionRequests request() {
    return TransactionRequests.to(agent, anvil);
  }

  /** A transfer with a fee known in advance (21000 × 1 gwei), not broadcast. */
  private TransactionRequests transfer(String to, long wei) {
    return request().transfer(to, wei).legacyFees(21_000, GWEI).broadcast(false);
  }

  private static String fresh() {
    return SigningKey.generate(new SecureRandom()).address().checksummed();
  }

  private record State(
      long auditTotal, String operatorNonce, JsonNode signerNonces, String spent) {}

  private State state() {
    JsonNode config = agent.get("/api/v1/config").json();
    return new State(
        agent.get("/api/v1/audit").json().get("total").asLong(),
        config.get("operator_nonce").asText(),
        config.get("signer_nonces"),
        config.get("tx_spent_wei").asText());
  }

  /** Sends, expects a signed refusal with {@code status}/{@code code}, and that nothing changed. */
  private void refused(TransactionRequests request, int status, String code) {
    State before = state();
    TestAgent.Reply reply = request.send();
    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    assertThat(reply.errorCode()).as(reply.text()).isEqualTo(code);
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    assertThat(state()).isEqualTo(before);
    assertThat(anvil.transactionCount(agent.address())).isZero();
  }

  @Test
  void refusesEveryoneWithoutAnAuthorizationWhileThePolicyIsClosed() {
    refused(transfer(fresh(), 1), 403, "tx_authorization_required");
    agent.operator().set("tx_open", "false").apply();
    refused(transfer(fresh(), 1), 403, "tx_authorization_required");
  }

  @Test
  void opensToAnyoneOnlyOnceAValueLimitABudgetAndTheRpcsAreSet() {
    agent.operator().set("tx_open", "true").apply();
    refused(transfer(fresh(), 1).broadcast(true), 403, "tx_limits_required");
    agent.operator().set("tx_max_value_wei", "10").apply();
    refused(transfer(fresh(), 1).broadcast(true), 403, "tx_limits_required");
    agent.operator().set("tx_budget_wei", "1000000000000000000").apply();
    // Without operator-chosen RPCs, an anonymous client's own node would decide the nonces.
    refused(transfer(fresh(), 1).broadcast(true), 403, "tx_limits_required");
    agent.operator().set("tx_allowed_rpc_urls", anvil.rpcUrl()).apply();

    JsonNode answer = transfer(fresh(), 1).broadcast(true).sign();
    assertThat(answer.get("mode").asText()).isEqualTo("open");
    assertThat(answer.get("authorized_by").isNull()).isTrue();
    assertThat(answer.get("spent_wei").asText()).isEqualTo(FEE.add(BigInteger.ONE).toString());
  }

  @Test
  void letsAListedApiSignerAskWithItsOwnNonceAndRefusesAReplay() {
    String signer = API_SIGNER.address().checksummed();
    agent.operator().set("tx_api_signers", fresh() + "," + signer).apply();
    refused(transfer(fresh(), 1).broadcast(true).signer(API_SIGNER), 403, "tx_limits_required");
    agent
        .operator()
        .set("tx_max_value_wei", "10")
        .set("tx_budget_wei", "10000000000000000")
        .set("tx_allowed_rpc_urls", anvil.rpcUrl())
        .apply();
    JsonNode config = agent.get("/api/v1/config").json();
    assertThat(config.get("signer_nonces").get(signer).asText()).isEqualTo("0");
    String operatorNonce = config.get("operator_nonce").asText();

    String body = transfer(fresh(), 2).broadcast(true).signer(API_SIGNER).body();
    TestAgent.Reply first = agent.post("/api/v1/sign-transaction", body);
    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(first.json().get("mode").asText()).isEqualTo("api_signer");
    assertThat(first.json().get("authorized_by").asText()).isEqualTo(signer);
    config = agent.get("/api/v1/config").json();
    assertThat(config.get("signer_nonces").get(signer).asText()).isEqualTo("1");
    assertThat(config.get("operator_nonce").asText()).isEqualTo(operatorNonce);

    State before = state();
    TestAgent.Reply replay = agent.post("/api/v1/sign-transaction", body);
    assertThat(replay.status()).isEqualTo(409);
    assertThat(replay.errorCode()).isEqualTo("stale_nonce");
    assertThat(state()).isEqualTo(before);
    assertThat(
            transfer(fresh(), 2)
                .broadcast(true)
                .signer(API_SIGNER)
                .sign()
                .get("transaction")
                .get("nonce")
                .asText())
        .isEqualTo("1");
  }

  @Test
  void refusesAnAuthorizationByAnAddressThatIsNeitherOperatorNorListed() {
    agent.operator().set("tx_api_signers", API_SIGNER.address().checksummed()).apply();
    refused(transfer(fresh(), 1).signer(STRANGER), 403, "tx_signer_not_allowed");
    agent
        .operator()
        .set("tx_open", "true")
        .set("tx_max_value_wei", "10")
        .set("tx_budget_wei", "1")
        .apply();
    // An invalid authorization never falls back to open mode.
    refused(transfer(fresh(), 1).signer(STRANGER), 403, "tx_signer_not_allowed");
  }

  @Test
  void operatorAuthorizationsUseTheOperatorNonceSharedWithVariableBatches() {
    String nonce = agent.get("/api/v1/config").json().get("operator_nonce").asText();
    String body = transfer(fresh(), 1).operator().body();
    TestAgent.Reply signed = agent.post("/api/v1/sign-transaction", body);
    assertThat(signed.status()).as(signed.text()).isEqualTo(200);
    assertThat(agent.get("/api/v1/config").json().get("operator_nonce").asText())
        .isEqualTo(String.valueOf(Long.parseLong(nonce) + 1));

    TestAgent.Reply replay = agent.post("/api/v1/sign-transaction", body);
    assertThat(replay.status()).isEqualTo(409);
    assertThat(replay.errorCode()).isEqualTo("stale_nonce");
    TestAgent.Reply batch =
        agent.operator().set("llm_model", "m").nonce(new BigInteger(nonce)).send();
    assertThat(batch.status()).isEqualTo(409);
    assertThat(batch.errorCode()).isEqualTo("stale_nonce");
    JsonNode audit = agent.get("/api/v1/audit").json().get("entries");
    JsonNode entry = audit.get(audit.size() - 1);
    assertThat(entry.get("kind").asText()).isEqualTo("transaction");
    assertThat(entry.get("payload").get("signed_transaction").asText())
        .isEqualTo(signed.json().get("signed_transaction").asText());
    assertThat(entry.get("payload").get("mode").asText()).isEqualTo("operator");
    assertThat(entry.get("payload").get("authorized_by").asText())
        .isEqualTo(TestAgent.OPERATOR.checksummed());
    assertThat(signed.json().get("audit_index").asLong()).isEqualTo(entry.get("index").asLong());
  }

  @Test
  void acceptsAnAuthorizationSignedWithEthersSignTypedData() throws Exception {
    JsonNode config = agent.get("/api/v1/config").json();
    long deadline = System.currentTimeMillis() / 1000 + 300;
    String recipient = fresh();
    ObjectNode input = MAPPER.createObjectNode().put("key", TestAgent.OPERATOR_KEY);
    input.set("domain", config.get("eip712_domain"));
    input
        .putObject("request")
        .put("to", recipient)
        .put("value", "4")
        .put("data", "0x")
        .put("chainId", Long.toString(Anvil.CHAIN_ID))
        .put("maxFeeWei", FEE.toString())
        .put("broadcast", false)
        .put("nonce", config.get("operator_nonce").asText())
        .put("deadline", Long.toString(deadline));
    JsonNode ethers =
        MAPPER.readTree(
            NodeScript.run(
                "ethers-transactions.mjs", MAPPER.writeValueAsString(input), "authorize"));
    TransactionRequests request =
        transfer(recipient, 4)
            .member(
                "authorization",
                MAPPER
                    .createObjectNode()
                    .put("nonce", config.get("operator_nonce").asText())
                    .put("deadline", deadline)
                    .put("max_fee_wei", FEE.toString())
                    .put("signature", ethers.get("signature").asText()));

    JsonNode answer = request.sign();
    assertThat(answer.get("mode").asText()).isEqualTo("operator");
  }

  @Test
  void acceptsAnApiSignerAuthorizationMadeByTheShippedClientScript() throws Exception {
    String signer = API_SIGNER.address().checksummed();
    agent
        .operator()
        .set("tx_api_signers", signer)
        .set("tx_max_value_wei", "10")
        .set("tx_budget_wei", "10000000000000000")
        .set("tx_allowed_rpc_urls", anvil.rpcUrl())
        .apply();
    String body =
        MAPPER.writeValueAsString(
            MAPPER
                .createObjectNode()
                .put("rpc_url", anvil.rpcUrl())
                .put("chain_id", Anvil.CHAIN_ID)
                .set("transaction", MAPPER.createObjectNode().put("to", fresh()).put("value", 5)));
    String authorized =
        NodeScript.run(
            java.util.Map.of("TEE_SIGNER_KEY", API_SIGNER_KEY),
            "scripts/authorize-transaction.mjs",
            body,
            "--url",
            agent.baseUrl(),
            "--max-fee-wei",
            "1000000000000000");

    TestAgent.Reply reply = agent.post("/api/v1/sign-transaction", authorized);
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.json().get("authorized_by").asText()).isEqualTo(signer);
    TestAgent.Reply replay = agent.post("/api/v1/sign-transaction", authorized);
    assertThat(replay.errorCode()).isEqualTo("stale_nonce");
  }

  @Test
  void refusesAnExpiredAuthorization() {
    refused(
        transfer(fresh(), 1).operator().deadline(System.currentTimeMillis() / 1000 - 1),
        409,
        "deadline_expired");
  }

  @Test
  void refusesAnAuthorizationWhoseDeadlineIsMoreThanAnHourAhead() {
    refused(
        transfer(fresh(), 1)
            .operator()
            .deadline(
                System.currentTimeMillis() / 1000
                    + RestoreCoolDown.AUTHORIZATION_LIFETIME.toSeconds()
                    + 120),
        409,
        "deadline_too_far");
  }

  @Test
  void theBudgetCountsOnlyWhatWasSignedWithinTxBudgetWindow() {
    MutableClock clock = new MutableClock(Instant.now());
    try (TestAgent timed = TestAgent.start(clock, new SecureRandom())) {
      anvil.setBalance(timed.address(), FUNDS);
      BigInteger cost = FEE.add(BigInteger.valueOf(100));
      timed.operator().set("tx_budget_wei", cost.toString()).set("tx_budget_window", "10m").apply();
      java.util.function.Supplier<TransactionRequests> transfer =
          () ->
              TransactionRequests.to(timed, anvil)
                  .transfer(fresh(), 100)
                  .legacyFees(21_000, GWEI)
                  .broadcast(false)
                  .operator()
                  .deadline(clock.instant().getEpochSecond() + 300);
      assertThat(transfer.get().sign().get("spent_wei").asText()).isEqualTo(cost.toString());
      clock.advance(Duration.ofMinutes(9));
      TestAgent.Reply over = transfer.get().send();
      assertThat(over.status()).as(over.text()).isEqualTo(403);
      assertThat(over.errorCode()).isEqualTo("tx_budget_exceeded");
      assertThat(over.json().at("/error/message").asText()).contains("of the last 10m");

      clock.advance(Duration.ofMinutes(2));
      assertThat(timed.get("/api/v1/config").json().get("tx_spent_wei").asText()).isEqualTo("0");
      assertThat(transfer.get().sign().get("spent_wei").asText()).isEqualTo(cost.toString());
    }
  }

  @Test
  void refusesARequestThatDiffersFromWhatWasAuthorized() {
    refused(
        transfer(fresh(), 1)
            .operator()
            .tamper(body -> ((ObjectNode) body.get("transaction")).put("value", 2)),
        403,
        "tx_signer_not_allowed");
    refused(
        transfer(fresh(), 1).operator().tamper(body -> body.put("broadcast", true)),
        403,
        "tx_signer_not_allowed");
    Eip712.Domain otherBoot = new Eip712.Domain(TestAgent.TEE_NAME, "1", Address.parse(fresh()));
    refused(transfer(fresh(), 1).operator().domain(otherBoot), 403, "tx_signer_not_allowed");
    refused(
        transfer(fresh(), 1)
            .operator()
            .tamper(body -> ((ObjectNode) body.get("authorization")).put("signature", "0x1234")),
        401,
        "bad_signature");
  }

  @Test
  void bindsTheOperatorToTheMaximumValue() {
    agent.operator().set("tx_max_value_wei", "100").apply();
    refused(transfer(fresh(), 101).operator(), 403, "tx_max_value_exceeded");
    assertThat(transfer(fresh(), 100).operator().sign().get("transaction").get("value").asText())
        .isEqualTo("100");
  }

  @Test
  void bindsEveryTransactionToTheMaximumFee() {
    agent.operator().set("tx_max_fee_wei", FEE.toString()).apply();
    refused(
        request().transfer(fresh(), 1).legacyFees(21_000, GWEI + 1).broadcast(false).operator(),
        403,
        "tx_max_fee_exceeded");
    refused(
        request()
            .transfer(fresh(), 1)
            .field("gas", 21_001)
            .field("max_fee_per_gas", GWEI)
            .broadcast(false)
            .operator(),
        403,
        "tx_max_fee_exceeded");
    assertThat(
            transfer(fresh(), 1).operator().sign().get("transaction").get("max_fee_wei").asText())
        .isEqualTo(FEE.toString());
  }

  @Test
  void bindsTheFeeToWhatTheAuthorizationCaps() {
    refused(
        transfer(fresh(), 1).operator().maxFeeWei(FEE.subtract(BigInteger.ONE)),
        403,
        "tx_authorized_fee_exceeded");
    assertThat(transfer(fresh(), 1).operator().maxFeeWei(FEE).sign().get("mode").asText())
        .isEqualTo("operator");
  }

  @Test
  void exhaustsTheBudgetAcrossSeveralRequests() {
    BigInteger cost = FEE.add(BigInteger.valueOf(100));
    agent.operator().set("tx_budget_wei", cost.multiply(BigInteger.TWO).toString()).apply();
    assertThat(transfer(fresh(), 100).operator().sign().get("spent_wei").asText())
        .isEqualTo(cost.toString());
    assertThat(transfer(fresh(), 100).operator().sign().get("spent_wei").asText())
        .isEqualTo(cost.multiply(BigInteger.TWO).toString());
    refused(transfer(fresh(), 100).operator(), 403, "tx_budget_exceeded");
    refused(transfer(fresh(), 0).operator(), 403, "tx_budget_exceeded");
    assertThat(state().spent()).isEqualTo(cost.multiply(BigInteger.TWO).toString());
  }

  @Test
  void sendsOnlyToListedAddresses() {
    String listed = fresh();
    agent.operator().set("tx_allowed_to", listed).apply();
    refused(transfer(fresh(), 1).operator(), 403, "tx_to_not_allowed");
    assertThat(transfer(listed, 1).operator().sign().get("transaction").get("to").asText())
        .isEqualTo(listed);
  }

  @Test
  void refusesATokenTransferToAnUnlistedAddressThroughAnAllowedToken() {
    String stranger = fresh();
    agent.operator().set("tx_allowed_to", token).apply();
    TransactionRequests transfer =
        request()
            .tokenTransfer(token, stranger, BigInteger.ONE)
            .legacyFees(60_000, GWEI)
            .broadcast(false)
            .operator();
    refused(transfer, 403, "tx_call_not_allowed");

    agent.operator().set("tx_allowed_calls", token + ":0xa9059cbb").apply();
    String approve = TransactionRequests.erc20("095ea7b3", stranger, BigInteger.TEN);
    refused(
        request()
            .transfer(token, 0)
            .field("data", approve)
            .legacyFees(60_000, GWEI)
            .broadcast(false)
            .operator(),
        403,
        "tx_call_not_allowed");
    refused(
        request()
            .transfer(fresh(), 0)
            .field("data", TransactionRequests.erc20("a9059cbb", stranger, BigInteger.ONE))
            .legacyFees(60_000, GWEI)
            .broadcast(false)
            .operator(),
        403,
        "tx_to_not_allowed");
    assertThat(
            request()
                .tokenTransfer(token, stranger, BigInteger.ONE)
                .legacyFees(60_000, GWEI)
                .broadcast(false)
                .operator()
                .sign()
                .get("mode")
                .asText())
        .isEqualTo("operator");
  }

  @Test
  void signsOnlyForListedChains() {
    agent.operator().set("tx_allowed_chain_ids", "1,8453").apply();
    refused(transfer(fresh(), 1).operator(), 403, "tx_chain_not_allowed");
    agent.operator().set("tx_allowed_chain_ids", "1," + Anvil.CHAIN_ID).apply();
    assertThat(transfer(fresh(), 1).operator().sign().get("mode").asText()).isEqualTo("operator");
  }

  @Test
  void usesOnlyExactlyListedRpcUrlsAndNamesTheGivenAndTheAllowedOnesWhenRefusing() {
    String other = "https://rpc.example.org/v1";
    agent.operator().set("tx_allowed_rpc_urls", other + "," + anvil.rpcUrl()).apply();
    TransactionRequests slash = transfer(fresh(), 1).member("rpc_url", anvil.rpcUrl() + "/");
    refused(slash.operator(), 403, "tx_rpc_url_not_allowed");
    assertThat(slash.operator().send().json().at("/error/message").asText())
        .isEqualTo(
            "rpc_url "
                + anvil.rpcUrl()
                + "/ is not in tx_allowed_rpc_urls; the allowed ones are, exactly: "
                + anvil.rpcUrl()
                + ", "
                + other);
    assertThat(transfer(fresh(), 1).operator().sign().get("mode").asText()).isEqualTo("operator");
  }

  @Test
  void refusesAChainIdThatTheRpcDoesNotReport() {
    refused(transfer(fresh(), 1).member("chain_id", 1).operator(), 409, "chain_id_mismatch");
  }
}
