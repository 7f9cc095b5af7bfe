package dev.teeagent.transactions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.testing.TransactionRequests;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RPC calls of one sign request take seconds; an operator who tightens the policy meanwhile is
 * obeyed: the transaction is signed under the policy as it is when it is signed, not as it was when
 * the request arrived.
 */
class PolicyChangeInFlightIT {
  private static final String RECIPIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  private WireMockServer rpc;
  @StartedAgent private TestAgent agent;

  @BeforeEach
  void start() {
    rpc = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    rpc.start();
    answer("eth_chainId", "0x7a69", 1_500);
    answer("eth_getTransactionCount", "0x0", 0);
    answer("eth_getBalance", "0xde0b6b3a7640000", 0);
    rpc.stubFor(
        post(urlEqualTo("/rpc"))
            .withRequestBody(matchingJsonPath("$.method", equalTo("eth_getBlockByNumber")))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"number\":\"0x1\","
                            + "\"baseFeePerGas\":\"0x1\",\"gasLimit\":\"0x1c9c380\"}}")));
    agent
        .operator()
        .set("tx_open", "true")
        .set("tx_max_value_wei", "1000")
        .set("tx_budget_wei", "1000000000")
        .set("tx_allowed_rpc_urls", rpcUrl())
        .apply();
  }

  @AfterEach
  void stop() {
    rpc.stop();
  }

  private void answer(String method, String result, int delayMillis) {
    rpc.stubFor(
        post(urlEqualTo("/rpc"))
            .withRequestBody(matchingJsonPath("$.method", equalTo(method)))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"" + result + "\"}")
                    .withFixedDelay(delayMillis)));
  }

  @Test
  void anOpenPolicyClosedWhileTheRpcAnswersSignsNothing() {
    String body =
        TransactionRequests.to(agent, rpcUrl(), 31337)
            .transfer(RECIPIENT, 1)
            .legacyFees(21_000, 1)
            .body();
    CompletableFuture<TestAgent.Reply> inFlight =
        CompletableFuture.supplyAsync(() -> agent.post("/api/v1/sign-transaction", body));
    awaitRpcCall();
    agent.operator().set("tx_open", "false").apply();
    String auditAfterBatch = agent.get("/api/v1/audit").json().get("total").asText();

    TestAgent.Reply reply = inFlight.join();

    assertThat(reply.status()).as(reply.text()).isEqualTo(403);
    assertThat(reply.errorCode()).isEqualTo("tx_authorization_required");
    assertThat(agent.get("/api/v1/audit").json().get("total").asText()).isEqualTo(auditAfterBatch);
    assertThat(agent.get("/api/v1/config").json().get("tx_spent_wei").asText()).isEqualTo("0");
  }

  private String rpcUrl() {
    return "http://127.0.0.1:" + rpc.port() + "/rpc";
  }

  private void awaitRpcCall() {
    long deadline = System.currentTimeMillis() + 5_000;
    while (rpc.getAllServeEvents().isEmpty()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the agent never called the RPC");
      }
      Thread.onSpinWait();
    }
  }
}
