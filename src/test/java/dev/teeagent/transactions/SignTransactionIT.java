package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.Address;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.Anvil;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.testing.TransactionRequests;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Transactions signed by the real agent and mined by a real chain (anvil): legacy and EIP-1559
 * transfers, the seed's ERC-20 transfer through a token deployed from committed bytecode, signing
 * without broadcast, concurrent requests, and every raw transaction decoded by ethers.
 */
class SignTransactionIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final BigInteger FUNDS = BigInteger.TEN.pow(20);
  private static final BigInteger TOKEN_SUPPLY = BigInteger.TEN.pow(24);
  private static Anvil anvil;
  @StartedAgent private static TestAgent agent;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    anvil = Anvil.start();
    anvil.setBalance(agent.address(), FUNDS);
    String bytecode =
        Files.readString(
            NodeScript.projectDir().resolve("src/test/resources/transactions/MinimalToken.bin"));
    token =
        anvil.deploy(
            bytecode,
            "0".repeat(24)
                + agent.address().substring(2)
                + String.format("%64s", TOKEN_SUPPLY.toString(16)).replace(' ', '0'));
  }

  @AfterAll
  static void stop() {
    if (anvil != null) {
      anvil.close();
    }
  }

  private static String freshAddress() {
    byte[] bytes = new byte[20];
    new SecureRandom().nextBytes(bytes);
    return Address.fromBytes(bytes).checksummed();
  }

  private static TransactionRequests request() {
    return TransactionRequests.to(agent, anvil);
  }

  @Test
  void broadcastsALegacyTransferThatIsMinedAndPaysExactlyTheValue() {
    String recipient = freshAddress();
    JsonNode answer = request().transfer(recipient, 3).type(0).operator().sign();

    TransactionReceipt receipt = anvil.receipt(answer.get("transaction_hash").asText());
    assertThat(receipt.isStatusOK()).isTrue();
    assertThat(receipt.getFrom()).isEqualToIgnoringCase(agent.address());
    assertThat(anvil.balance(recipient)).isEqualTo(3);
    JsonNode tx = answer.get("transaction");
    assertThat(tx.get("type").asInt()).isZero();
    assertThat(tx.get("chain_id").asText()).isEqualTo(Long.toString(Anvil.CHAIN_ID));
    assertThat(tx.get("gas_price").isTextual()).isTrue();
    assertThat(tx.get("max_fee_per_gas").isNull()).isTrue();
    assertThat(tx.get("value").asText()).isEqualTo("3");
    assertThat(answer.get("from").asText()).isEqualTo(agent.address());
    assertThat(answer.get("broadcast").asBoolean()).isTrue();
    assertThat(answer.get("node_answer").get("transaction_hash").asText())
        .isEqualTo(answer.get("transaction_hash").asText());
    assertThat(answer.get("mode").asText()).isEqualTo("operator");
    assertThat(answer.get("authorized_by").asText()).isEqualTo(TestAgent.OPERATOR.checksummed());
  }

  @Test
  void broadcastsAnEip1559TransferByDefaultOnAChainWithABaseFee() {
    String recipient = freshAddress();
    JsonNode answer = request().transfer(recipient, 1_000_000_007L).operator().sign();

    TransactionReceipt receipt = anvil.receipt(answer.get("transaction_hash").asText());
    assertThat(receipt.isStatusOK()).isTrue();
    assertThat(anvil.balance(recipient)).isEqualTo(1_000_000_007L);
    JsonNode tx = answer.get("transaction");
    assertThat(tx.get("type").asInt()).isEqualTo(2);
    assertThat(tx.get("gas").asText()).isEqualTo("21000");
    assertThat(tx.get("gas_price").isNull()).isTrue();
    assertThat(new BigInteger(tx.get("max_fee_per_gas").asText()))
        .isGreaterThanOrEqualTo(new BigInteger(tx.get("max_priority_fee_per_gas").asText()));
    assertThat(tx.get("max_fee_wei").asText())
        .isEqualTo(
            new BigInteger(tx.get("max_fee_per_gas").asText())
                .multiply(BigInteger.valueOf(21000))
                .toString());
  }

  @Test
  void signsTheSeedsErc20TransferThatMovesTokens() {
    agent.operator().set("tx_allowed_calls", token + ":0xa9059cbb").apply();
    String recipient = freshAddress();
    BigInteger amount = new BigInteger("48c27395000", 16);
    JsonNode answer =
        request().tokenTransfer(token, recipient, amount).field("gas", 60000).operator().sign();

    TransactionReceipt receipt = anvil.receipt(answer.get("transaction_hash").asText());
    assertThat(receipt.isStatusOK()).isTrue();
    assertThat(anvil.tokenBalance(token, recipient)).isEqualTo(amount);
    assertThat(anvil.tokenBalance(token, agent.address()))
        .isLessThanOrEqualTo(TOKEN_SUPPLY.subtract(amount));
    assertThat(answer.get("transaction").get("gas").asText()).isEqualTo("60000");
    assertThat(answer.get("transaction").get("to").asText()).isEqualToIgnoringCase(token);
  }

  @Test
  void signsWithoutSendingWhenBroadcastIsFalse() {
    String recipient = freshAddress();
    BigInteger minedBefore = anvil.transactionCount(agent.address());
    JsonNode answer = request().transfer(recipient, 5).broadcast(false).operator().sign();

    String hash = answer.get("transaction_hash").asText();
    assertThat(answer.get("broadcast").asBoolean()).isFalse();
    assertThat(answer.get("node_answer").isNull()).isTrue();
    assertThat(anvil.knows(hash)).isFalse();
    assertThat(anvil.transactionCount(agent.address())).isEqualTo(minedBefore);
    assertThat(anvil.balance(recipient)).isZero();

    // The client sends it itself: it is a valid transaction of the agent's.
    anvil.call("eth_sendRawTransaction", List.of(answer.get("signed_transaction").asText()));
    assertThat(anvil.receipt(hash).isStatusOK()).isTrue();
    assertThat(anvil.balance(recipient)).isEqualTo(5);
  }

  @Test
  void rawTransactionsDecodeWithEthersToTheFieldsTheAgentReportsAndComeFromTheAgent()
      throws Exception {
    List<JsonNode> answers = new ArrayList<>();
    answers.add(request().transfer(freshAddress(), 7).type(0).broadcast(false).operator().sign());
    answers.add(request().transfer(freshAddress(), 8).type(2).broadcast(false).operator().sign());
    answers.add(
        request()
            .transfer(freshAddress(), 9)
            .field("gas", 30000)
            .field("max_fee_per_gas", "0x77359400")
            .field("max_priority_fee_per_gas", 1_000_000)
            .broadcast(false)
            .operator()
            .sign());
    List<String> raws = answers.stream().map(a -> a.get("signed_transaction").asText()).toList();
    JsonNode decoded =
        MAPPER.readTree(
            NodeScript.run("ethers-transactions.mjs", MAPPER.writeValueAsString(raws), "decode"));

    for (int i = 0; i < answers.size(); i++) {
      JsonNode ours = answers.get(i);
      JsonNode tx = ours.get("transaction");
      JsonNode theirs = decoded.get(i);
      assertThat(theirs.get("from").asText()).isEqualTo(agent.address());
      assertThat(theirs.get("hash").asText()).isEqualTo(ours.get("transaction_hash").asText());
      assertThat(theirs.get("type").asInt()).isEqualTo(tx.get("type").asInt());
      assertThat(theirs.get("chainId").asText()).isEqualTo(tx.get("chain_id").asText());
      assertThat(theirs.get("nonce").asText()).isEqualTo(tx.get("nonce").asText());
      assertThat(theirs.get("to").asText()).isEqualTo(tx.get("to").asText());
      assertThat(theirs.get("value").asText()).isEqualTo(tx.get("value").asText());
      assertThat(theirs.get("data").asText()).isEqualTo(tx.get("data").asText());
      assertThat(theirs.get("gasLimit").asText()).isEqualTo(tx.get("gas").asText());
      assertThat(theirs.get("gasPrice").asText(null)).isEqualTo(tx.get("gas_price").asText(null));
      assertThat(theirs.get("maxFeePerGas").asText(null))
          .isEqualTo(tx.get("max_fee_per_gas").asText(null));
      assertThat(theirs.get("maxPriorityFeePerGas").asText(null))
          .isEqualTo(tx.get("max_priority_fee_per_gas").asText(null));
    }
    assertThat(answers.get(2).get("transaction").get("max_fee_per_gas").asText())
        .isEqualTo("2000000000");
    // Leave the chain usable for the other tests: the agent's nonces must all reach it.
    for (String raw : raws) {
      anvil.call("eth_sendRawTransaction", List.of(raw));
    }
  }

  @Test
  void twentyConcurrentRequestsAreAllMinedWithTwentyConsecutiveNonces() throws Exception {
    int count = 20;
    // An agent of its own: its open policy must not leak into the other tests.
    try (TestAgent open = TestAgent.start()) {
      anvil.setBalance(open.address(), FUNDS);
      open.operator()
          .set("tx_open", "true")
          .set("tx_max_value_wei", "11")
          .set("tx_budget_wei", FUNDS.toString())
          .set("tx_allowed_rpc_urls", anvil.rpcUrl())
          .apply();
      List<String> recipients = new ArrayList<>();
      List<Callable<JsonNode>> calls = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String recipient = freshAddress();
        recipients.add(recipient);
        // Open mode: no shared authorization nonce serializes these requests.
        calls.add(() -> TransactionRequests.to(open, anvil).transfer(recipient, 11).sign());
      }
      List<JsonNode> answers = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
        for (Future<JsonNode> future : pool.invokeAll(calls)) {
          answers.add(future.get());
        }
      }

      List<Long> nonces =
          answers.stream().map(a -> a.get("transaction").get("nonce").asLong()).sorted().toList();
      assertThat(nonces)
          .containsExactlyElementsOf(java.util.stream.LongStream.range(0, count).boxed().toList());
      for (JsonNode answer : answers) {
        assertThat(answer.get("mode").asText()).isEqualTo("open");
        assertThat(anvil.receipt(answer.get("transaction_hash").asText()).isStatusOK()).isTrue();
      }
      for (String recipient : recipients) {
        assertThat(anvil.balance(recipient)).isEqualTo(11);
      }
      assertThat(anvil.transactionCount(open.address())).isEqualTo(count);
    }
  }

  @Test
  void signsALegacyTransactionByDefaultOnAChainWithoutABaseFee() {
    // Its own agent: nonces are tracked per chain id, and this chain shares anvil's id.
    try (Anvil berlin = Anvil.start("--hardfork", "berlin");
        TestAgent legacyAgent = TestAgent.start()) {
      berlin.setBalance(legacyAgent.address(), FUNDS);
      String recipient = freshAddress();
      JsonNode answer =
          TransactionRequests.to(legacyAgent, berlin).transfer(recipient, 21).operator().sign();

      assertThat(answer.get("transaction").get("type").asInt()).isZero();
      assertThat(berlin.receipt(answer.get("transaction_hash").asText()).isStatusOK()).isTrue();
      assertThat(berlin.balance(recipient)).isEqualTo(21);
      TestAgent.Reply dynamic =
          TransactionRequests.to(legacyAgent, berlin)
              .transfer(recipient, 1)
              .type(2)
              .operator()
              .send();
      assertThat(dynamic.status()).as(dynamic.text()).isEqualTo(400);
      assertThat(dynamic.json().get("error").get("message").asText()).contains("no base fee");
    }
  }
}
