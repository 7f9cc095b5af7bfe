package dev.teeagent.transactions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.testing.Anvil;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.testing.TransactionRequests;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile or broken RPC: unreachable, garbage, wrong JSON-RPC, a hang past the timeout, a
 * redirect, an oversized answer, a certificate that does not verify, and a node that refuses the
 * broadcast; plus an agent without funds. Each is a documented 4xx/502/504 with a signed body;
 * nothing is half done (no audit entry, no nonce burnt, no budget spent) and the agent stays
 * healthy: its next transaction takes nonce 0 and is mined.
 */
class RpcFaultsIT {
  private static final BigInteger FUNDS = BigInteger.TEN.pow(20);
  private static Anvil anvil;
  private static WireMockServer rpc;
  @StartedAgent private TestAgent agent;

  @BeforeAll
  static void start() {
    anvil = Anvil.start();
    rpc = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort());
    rpc.start();
  }

  @AfterAll
  static void stop() {
    if (rpc != null) {
      rpc.stop();
    }
    if (anvil != null) {
      anvil.close();
    }
  }

  @BeforeEach
  void fundAgent() {
    rpc.resetAll();
    anvil.setBalance(agent.address(), FUNDS);
    agent.operator().set("tx_budget_wei", FUNDS.toString()).apply();
  }

  private static String fresh() {
    return SigningKey.generate(new SecureRandom()).address().checksummed();
  }

  private TransactionRequests through(String rpcUrl) {
    return TransactionRequests.to(agent, rpcUrl, Anvil.CHAIN_ID).transfer(fresh(), 1).operator();
  }

  private String wiremockUrl() {
    return "http://127.0.0.1:" + rpc.port() + "/rpc";
  }

  /** The refusal, then proof that nothing was half done and the agent still works. */
  private void failsCleanly(TransactionRequests request, int status, String code) {
    String auditBefore = agent.get("/api/v1/audit").json().get("total").asText();
    String spentBefore = agent.get("/api/v1/config").json().get("tx_spent_wei").asText();
    BigInteger nextNonce = anvil.transactionCount(agent.address());
    TestAgent.Reply reply = request.send();
    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    assertThat(reply.errorCode()).as(reply.text()).isEqualTo(code);
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());

    assertThat(agent.get("/api/v1/health").status()).isEqualTo(200);
    assertThat(agent.get("/api/v1/audit").json().get("total").asText()).isEqualTo(auditBefore);
    assertThat(agent.get("/api/v1/config").json().get("tx_spent_wei").asText())
        .isEqualTo(spentBefore);
    JsonNode next = through(anvil.rpcUrl()).sign();
    assertThat(next.get("transaction").get("nonce").asText()).isEqualTo(nextNonce.toString());
    assertThat(anvil.receipt(next.get("transaction_hash").asText()).isStatusOK()).isTrue();
  }

  @Test
  void answers502WhenTheRpcIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    failsCleanly(through("http://127.0.0.1:" + closedPort), 502, "rpc_unreachable");
  }

  @Test
  void answers502WhenTheRpcAnswersGarbage() {
    rpc.stubFor(any(anyUrl()).willReturn(aResponse().withBody("<html>not json-rpc</html>")));
    failsCleanly(through(wiremockUrl()), 502, "rpc_bad_response");
  }

  @Test
  void answers502WhenTheRpcAnswersJsonRpcWithoutTheExpectedResult() {
    rpc.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse().withBody("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":\"0xzz\"}")));
    failsCleanly(through(wiremockUrl()), 502, "rpc_bad_response");
  }

  @Test
  void answers502WhenTheRpcDropsTheConnection() {
    rpc.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    failsCleanly(through(wiremockUrl()), 502, "rpc_bad_response");
  }

  @Test
  void answers504WhenTheRpcHangsPastTheTimeout() {
    long hang = RpcConnector.CALL_TIMEOUT.toMillis() + 3_000;
    rpc.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withFixedDelay((int) hang)
                    .withBody("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":\"0x7a69\"}")));
    failsCleanly(through(wiremockUrl()), 504, "rpc_timeout");
  }

  @Test
  void doesNotFollowARedirect() {
    rpc.stubFor(
        any(urlEqualTo("/rpc"))
            .willReturn(aResponse().withStatus(307).withHeader("Location", "/elsewhere")));
    rpc.stubFor(any(urlEqualTo("/elsewhere")).willReturn(aResponse().withBody("{}")));
    failsCleanly(through(wiremockUrl()), 502, "rpc_bad_response");
    assertThat(
            rpc.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                    urlEqualTo("/elsewhere"))))
        .isEmpty();
  }

  @Test
  void refusesAnAnswerLargerThanTheCap() {
    String padding = " ".repeat((int) RpcConnector.MAX_ANSWER_BYTES);
    rpc.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withBody(
                        "{\"jsonrpc\":\"2.0\",\"id\":0," + padding + "\"result\":\"0x7a69\"}")));
    failsCleanly(through(wiremockUrl()), 502, "rpc_bad_response");
  }

  @Test
  void refusesAnRpcWhoseCertificateDoesNotVerify() {
    rpc.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse().withBody("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":\"0x7a69\"}")));
    failsCleanly(through("https://127.0.0.1:" + rpc.httpsPort() + "/rpc"), 502, "rpc_unreachable");
    assertThat(rpc.getAllServeEvents()).isEmpty();
  }

  @Test
  void refusesPlainHttpToAnythingButALoopbackAddress() {
    failsCleanly(through("http://rpc.example.org/"), 400, "invalid_field");
    failsCleanly(through("http://localhost:8545/"), 400, "invalid_field");
  }

  @Test
  void answers409WhenTheAgentCannotPayAndSpendsNothing() {
    anvil.setBalance(agent.address(), BigInteger.ZERO);
    String auditBefore = agent.get("/api/v1/audit").json().get("total").asText();
    for (TransactionRequests request :
        new TransactionRequests[] {
          through(anvil.rpcUrl()), through(anvil.rpcUrl()).field("gas", 21_000)
        }) {
      TestAgent.Reply reply = request.send();
      assertThat(reply.status()).as(reply.text()).isEqualTo(409);
      assertThat(reply.errorCode()).isEqualTo("insufficient_funds");
    }
    assertThat(agent.get("/api/v1/audit").json().get("total").asText()).isEqualTo(auditBefore);
    assertThat(agent.get("/api/v1/config").json().get("tx_spent_wei").asText()).isEqualTo("0");
    anvil.setBalance(agent.address(), FUNDS);
    JsonNode next = through(anvil.rpcUrl()).sign();
    assertThat(next.get("transaction").get("nonce").asText()).isEqualTo("0");
    assertThat(anvil.receipt(next.get("transaction_hash").asText()).isStatusOK()).isTrue();
  }

  @Test
  void reusesTheNonceOfABroadcastTheNodeRefusedAndKeepsItsBudgetSpent() {
    rpc.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(anvil.rpcUrl())));
    rpc.stubFor(
        post(anyUrl())
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.method", equalTo("eth_sendRawTransaction")))
            .willReturn(
                aResponse()
                    .withBody(
                        "{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-32003,"
                            + "\"message\":\"transaction underpriced\"}}")));
    TestAgent.Reply refused =
        // anvil answers on "/" only, so the proxy is addressed without a path.
        TransactionRequests.to(agent, "http://127.0.0.1:" + rpc.port(), Anvil.CHAIN_ID)
            .transfer(fresh(), 1)
            .operator()
            .send();
    assertThat(refused.status()).as(refused.text()).isEqualTo(502);
    assertThat(refused.errorCode()).as(refused.text()).isEqualTo("rpc_error");
    assertThat(refused.json().get("error").get("message").asText())
        .contains("transaction underpriced")
        .contains("recorded in the audit log");
    // Signed and published in the audit log: anyone could broadcast it, so it stays counted.
    assertThat(agent.get("/api/v1/config").json().get("tx_spent_wei").asText()).isNotEqualTo("0");

    JsonNode first = through(anvil.rpcUrl()).sign();
    JsonNode second = through(anvil.rpcUrl()).sign();
    assertThat(first.get("transaction").get("nonce").asText()).isEqualTo("0");
    assertThat(second.get("transaction").get("nonce").asText()).isEqualTo("1");
    assertThat(anvil.receipt(second.get("transaction_hash").asText()).isStatusOK()).isTrue();
    assertThat(anvil.transactionCount(agent.address())).isEqualTo(2);
  }
}
