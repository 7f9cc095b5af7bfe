package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.testing.Anvil;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.testing.TransactionRequests;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 §5: the original API's transaction request has no {@code chain_id}. When the policy pins
 * the chain, the agent signs for that chain (the RPC's chain only if the policy lists it) and says
 * which chain and why; without a pin the 400 says what to add.
 */
class ChainIdPinIT {
  private static final String RECIPIENT = "0x86693CbE3f2581DF512635823F46f0d593D96dbA";
  private Anvil anvil;
  @StartedAgent private TestAgent agent;

  @BeforeEach
  void start() {
    anvil = Anvil.start();
    anvil.setBalance(agent.address(), BigInteger.TEN.pow(20));
    agent
        .operator()
        .set("tx_open", "true")
        .set("tx_max_value_wei", "1000000000000000")
        .set("tx_budget_wei", "10000000000000000")
        .set("tx_allowed_rpc_urls", anvil.rpcUrl())
        .apply();
  }

  @AfterEach
  void stop() {
    anvil.close();
  }

  /** The original README's ETH transfer, word for word but for the local RPC. */
  private TestAgent.Reply originalTransfer() {
    return agent.post(
        "/api/v1/sign-transaction",
        "{\"transaction\": {\"to\": \""
            + RECIPIENT
            + "\", \"value\": 3, \"data\": \"0x\"}, \"rpc_url\": \""
            + anvil.rpcUrl()
            + "\"}");
  }

  private JsonNode signed(TestAgent.Reply reply) {
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    return reply.json();
  }

  /** The original transfer is refused with this answer, and nothing is signed. */
  private void refused(int status, String code, String message) {
    long audited = agent.get("/api/v1/audit").json().get("total").asLong();
    TestAgent.Reply reply = originalTransfer();
    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    assertThat(reply.errorCode()).isEqualTo(code);
    assertThat(reply.json().at("/error/message").asText()).isEqualTo(message);
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    assertThat(agent.get("/api/v1/audit").json().get("total").asLong()).isEqualTo(audited);
  }

  @Test
  void withoutAPinTheRequestIsToldToAddChainIdOrHaveThePolicyPinIt() {
    refused(
        400,
        "missing_field",
        "chain_id is required: add \"chain_id\": <the chain's id> to the request (the operator can"
            + " pin one chain with tx_allowed_chain_ids, which makes chain_id optional)");
  }

  @Test
  void oneAllowedChainIdPinsTheChainAndTheAnswerSaysSo() {
    agent.operator().set("tx_allowed_chain_ids", Long.toString(Anvil.CHAIN_ID)).apply();
    JsonNode answer = signed(originalTransfer());
    assertThat(answer.at("/transaction/chain_id").asText()).isEqualTo("31337");
    assertThat(answer.get("chain_id_source").asText()).isEqualTo("tx_allowed_chain_ids");
    assertThat(anvil.receipt(answer.get("transaction_hash").asText()).isStatusOK()).isTrue();
    assertThat(anvil.balance(RECIPIENT)).isEqualTo(3);

    // An authorization signs the pinned chain id.
    JsonNode operators =
        TransactionRequests.to(agent, anvil).transfer(RECIPIENT, 1).omitChainId().operator().sign();
    assertThat(operators.get("chain_id_source").asText()).isEqualTo("tx_allowed_chain_ids");
    assertThat(operators.get("mode").asText()).isEqualTo("operator");
  }

  @Test
  void thePinnedChainMustBeTheRpcsChain() {
    agent.operator().set("tx_allowed_chain_ids", "8453").apply();
    refused(409, "chain_id_mismatch", "the RPC reports chain 31337, not chain_id 8453");
  }

  @Test
  void severalAllowedChainIdsPinTheRpcsChainOnlyWhenItIsListed() {
    agent.operator().set("tx_allowed_chain_ids", "1,8453").apply();
    refused(
        403,
        "tx_chain_not_allowed",
        "the RPC reports chain 31337, which is not in tx_allowed_chain_ids (1,8453)");

    agent.operator().set("tx_allowed_chain_ids", "1,31337,8453").apply();
    JsonNode answer = signed(originalTransfer());
    assertThat(answer.at("/transaction/chain_id").asText()).isEqualTo("31337");
    assertThat(answer.get("chain_id_source").asText()).isEqualTo("rpc");
    assertThat(anvil.receipt(answer.get("transaction_hash").asText()).isStatusOK()).isTrue();
  }

  @Test
  void aGivenChainIdIsUsedAsGiven() {
    JsonNode answer = TransactionRequests.to(agent, anvil).transfer(RECIPIENT, 1).sign();
    assertThat(answer.get("chain_id_source").asText()).isEqualTo("request");
  }
}
