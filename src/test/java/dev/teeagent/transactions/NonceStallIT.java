package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.testing.Anvil;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.testing.TransactionRequests;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §2 against the real agent and a real chain: an anonymous client cannot have the agent
 * sign a transaction that is never mined and holds up the agent's nonce sequence, and the operator
 * can fill a nonce the chain waits on. Each test starts from docs/clients.md's frozen "limited
 * public policy" (open, value and fee caps, a budget, this chain, this RPC).
 */
class NonceStallIT {
  private static final BigInteger FUNDS = BigInteger.TEN.pow(20);
  private static final String API_SIGNER_KEY =
      "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
  private static final SigningKey API_SIGNER = SigningKey.fromPrivateKeyHex(API_SIGNER_KEY);
  private Anvil anvil;
  @StartedAgent private TestAgent agent;

  @BeforeEach
  void start() {
    anvil = Anvil.start();
    anvil.setBalance(agent.address(), FUNDS);
    agent
        .operator()
        .set("tx_open", "true")
        .set("tx_max_value_wei", "1000000000000000")
        .set("tx_max_fee_wei", "1000000000000000")
        .set("tx_budget_wei", "10000000000000000")
        .set("tx_allowed_chain_ids", Long.toString(Anvil.CHAIN_ID))
        .set("tx_allowed_rpc_urls", anvil.rpcUrl())
        .set("tx_api_signers", API_SIGNER.address().checksummed())
        .apply();
  }

  @AfterEach
  void stop() {
    anvil.close();
  }

  private TransactionRequests request(String to) {
    return TransactionRequests.to(agent, anvil).transfer(to, 1);
  }

  private static String fresh() {
    return SigningKey.generate(new SecureRandom()).address().checksummed();
  }

  private long audited() {
    return agent.get("/api/v1/audit").json().get("total").asLong();
  }

  private void refused(TransactionRequests request, int status, String code, String says) {
    long audit = audited();
    TestAgent.Reply reply = request.send();
    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    assertThat(reply.errorCode()).as(reply.text()).isEqualTo(code);
    assertThat(reply.json().at("/error/message").asText()).contains(says);
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    assertThat(audited()).isEqualTo(audit);
  }

  @Test
  void theReviewersZeroFeeUnsentTransactionIsRefusedAndTheOperatorsNextOneIsMined() {
    // The review's request: legacy, zero gas price, not broadcast, no authorization.
    TransactionRequests attack =
        TransactionRequests.to(agent, anvil)
            .field("to", fresh())
            .field("value", "0")
            .field("type", 0)
            .field("gas_price", "0")
            .broadcast(false);
    refused(attack, 403, "tx_broadcast_required", "only the operator");
    refused(attack.broadcast(true), 409, "fee_below_base_fee", "base fee");
    refused(
        request(fresh()).field("max_fee_per_gas", "1").field("max_priority_fee_per_gas", "0"),
        409,
        "fee_below_base_fee",
        "max_fee_per_gas 1 is below the chain's base fee");
    refused(request(fresh()).signer(API_SIGNER).broadcast(false), 403, "tx_broadcast_required", "");
    // The operator is bound by the floor too: no one's transaction may block the sequence.
    refused(
        request(fresh()).legacyFees(21_000, 0).broadcast(false).operator(),
        409,
        "fee_below_base_fee",
        "gas_price 0");
    refused(
        request(fresh()).field("gas", 1_000_000_000L).operator(),
        409,
        "gas_above_block_limit",
        "gas limit");
    assertThat(agent.get("/api/v1/config").json().get("tx_spent_wei").asText()).isEqualTo("0");

    String recipient = fresh();
    JsonNode operators = request(recipient).operator().sign();
    assertThat(operators.at("/transaction/nonce").asText()).isEqualTo("0");
    assertThat(anvil.receipt(operators.get("transaction_hash").asText()).isStatusOK()).isTrue();
    JsonNode anyone = request(recipient).sign();
    assertThat(anvil.receipt(anyone.get("transaction_hash").asText()).isStatusOK()).isTrue();
    assertThat(anvil.balance(recipient)).isEqualTo(2);
  }

  @Test
  void theOperatorReplacesAWaitingTransactionAndFillsTheNonceTheChainWaitsOn() {
    // The operator's own unsent transaction holds nonce 0; what comes after waits in the pool.
    JsonNode unsent = request(fresh()).broadcast(false).operator().sign();
    assertThat(unsent.at("/transaction/nonce").asText()).isEqualTo("0");
    String waiting = fresh();
    JsonNode behind = request(waiting).sign();
    assertThat(behind.at("/transaction/nonce").asText()).isEqualTo("1");
    assertThat(anvil.transactionCount(agent.address())).isZero();

    refused(request(fresh()).fill(0), 403, "tx_fill_operator_only", "only the operator");
    refused(request(fresh()).fill(0).signer(API_SIGNER), 403, "tx_fill_operator_only", "operator");
    refused(request(fresh()).fill(2).operator(), 400, "invalid_field", "not been handed out");
    // An ordinary authorization does not authorize a fill: FillRequest is another type.
    refused(
        request(fresh()).operator().tamper(body -> body.put("fill_nonce", "0")),
        403,
        "tx_fill_operator_only",
        "FillRequest");

    // Replace: the transaction waiting with nonce 1, by one offering higher fees.
    String replacing = fresh();
    JsonNode replacement =
        request(replacing)
            .field("max_fee_per_gas", "20000000000")
            .field("max_priority_fee_per_gas", "5000000000")
            .fill(1)
            .operator()
            .sign();
    assertThat(replacement.at("/transaction/nonce").asText()).isEqualTo("1");

    // Fill: nonce 0, which the chain waits on.
    String filler = fresh();
    JsonNode fill = request(filler).fill(0).operator().sign();
    assertThat(fill.at("/transaction/nonce").asText()).isEqualTo("0");
    assertThat(fill.get("fill_nonce").asText()).isEqualTo("0");
    assertThat(anvil.receipt(fill.get("transaction_hash").asText()).isStatusOK()).isTrue();
    assertThat(anvil.receipt(replacement.get("transaction_hash").asText()).isStatusOK()).isTrue();
    assertThat(anvil.balance(filler)).isEqualTo(1);
    assertThat(anvil.balance(replacing)).isEqualTo(1);
    assertThat(anvil.balance(waiting)).isZero();
    assertThat(anvil.knows(behind.get("transaction_hash").asText())).isFalse();
    assertThat(anvil.knows(unsent.get("transaction_hash").asText())).isFalse();

    JsonNode entry = agent.get("/api/v1/audit?from=" + fill.get("audit_index").asText()).json();
    JsonNode payload = entry.at("/entries/0/payload");
    assertThat(payload.get("fill_nonce").asText()).isEqualTo("0");
    assertThat(payload.get("mode").asText()).isEqualTo("operator");
    assertThat(payload.get("transaction_hash").asText())
        .isEqualTo(fill.get("transaction_hash").asText());

    refused(request(fresh()).fill(0).operator(), 409, "stale_nonce", "already mined");
    assertThat(request(fresh()).sign().at("/transaction/nonce").asText()).isEqualTo("2");
  }
}
