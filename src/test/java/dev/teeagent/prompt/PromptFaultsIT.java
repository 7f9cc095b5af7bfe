package dev.teeagent.prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.teeagent.config.PromptSettings;
import dev.teeagent.testing.AgentWithProvider;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.InFlightCalls;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.TestAgent;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every provider fault gets its documented status and code in a signed answer; afterwards no thread
 * is left in a provider call, every in-flight slot is free and a normal prompt works.
 */
class PromptFaultsIT {
  /** Short limits so faults resolve quickly: 1 s silence, 3 s per prompt, 4 in flight. */
  static final PromptSettings SHORT =
      new PromptSettings(
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(3),
          4,
          2,
          Duration.ofSeconds(2));

  @RegisterExtension static final AgentWithProvider LLM = new AgentWithProvider(SHORT);
  private FakeLlmProvider provider;
  private TestAgent agent;

  @BeforeEach
  void bind() {
    provider = LLM.provider();
    agent = LLM.agent();
  }

  @AfterEach
  void agentStaysHealthyWithNoCallLeftAndEverySlotFree() {
    InFlightCalls.awaitNone(5_000);
    provider.reset();
    provider.answers(FakeLlmProvider.json(FakeLlmProvider.fixture("openai-text.json")));
    List<CompletableFuture<TestAgent.Reply>> replies =
        java.util.stream.IntStream.range(0, SHORT.maxConcurrent())
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> agent.prompt(ask())))
            .toList();
    for (CompletableFuture<TestAgent.Reply> reply : replies) {
      assertThat(reply.join().status()).as(reply.join().text()).isEqualTo(200);
    }
    assertThat(agent.get("/api/v1/health").status()).isEqualTo(200);
  }

  private static PromptBody ask() {
    return PromptBody.ask("What is the capital of France?");
  }

  /** Sends one prompt and checks the signed refusal: status and code. */
  private JsonNode refused(int status, String code) {
    TestAgent.Reply reply = agent.prompt(ask());
    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    assertThat(reply.errorCode()).isEqualTo(code);
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    assertThat(reply.text()).doesNotContain(FakeLlmProvider.API_KEY);
    return reply.json().get("error");
  }

  private static ResponseDefinitionBuilder status(int status, String fixture) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(FakeLlmProvider.fixture(fixture));
  }

  @Test
  void serverError500Is502LlmServerErrorAndIsNotRetried() {
    provider.answers(aResponse().withStatus(500).withBody("{\"error\":{\"message\":\"boom\"}}"));
    JsonNode error = refused(502, "llm_server_error");
    assertThat(error.get("provider_status").asInt()).isEqualTo(500);
    assertThat(error.get("provider_message").asText()).isEqualTo("boom");
    assertThat(provider.requests()).hasSize(1);
  }

  @Test
  void unavailable503ThenSuccessIsRetriedAndAnswers() {
    provider.answersFirstThen(
        status(503, "openrouter-503.json"),
        FakeLlmProvider.json(FakeLlmProvider.fixture("openai-text.json")));
    TestAgent.Reply reply = agent.prompt(ask());
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.json().at("/response/content").asText()).contains("Paris");
    List<LoggedRequest> sent = provider.requests();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).getBodyAsString()).isEqualTo(sent.get(1).getBodyAsString());
  }

  @Test
  void rateLimited429WithRetryAfterIsRetriedOnceTheProviderSaysSo() {
    provider.answersFirstThen(
        status(429, "openrouter-429.json").withHeader("Retry-After", "1"),
        FakeLlmProvider.json(FakeLlmProvider.fixture("openai-text.json")));
    TestAgent.Reply reply = agent.prompt(ask());
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    List<LoggedRequest> sent = provider.requests();
    assertThat(sent).hasSize(2);
    long waited = sent.get(1).getLoggedDate().getTime() - sent.get(0).getLoggedDate().getTime();
    assertThat(waited).isGreaterThanOrEqualTo(900);
  }

  @Test
  void rateLimited429WithRetryAfterBeyondTheCapFailsAtOnceAsLlmRateLimited() {
    provider.answers(status(429, "openrouter-429.json").withHeader("Retry-After", "30"));
    TestAgent.Reply reply = agent.prompt(ask());
    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.errorCode()).isEqualTo("llm_rate_limited");
    assertThat(reply.header("Retry-After")).isEqualTo("30");
    JsonNode error = reply.json().get("error");
    assertThat(error.get("provider_status").asInt()).isEqualTo(429);
    assertThat(error.get("provider_message").asText())
        .isEqualTo("Rate limit exceeded: free-models-per-min.");
    assertThat(error.get("retry_after_seconds").asInt()).isEqualTo(30);
    assertThat(provider.requests()).hasSize(1);
  }

  @Test
  void persistent502IsRetriedABoundedNumberOfTimesThenLlmServerError() {
    provider.answers(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>"));
    JsonNode error = refused(502, "llm_server_error");
    assertThat(error.get("provider_status").asInt()).isEqualTo(502);
    assertThat(error.has("provider_message")).isFalse();
    assertThat(provider.requests()).hasSize(1 + SHORT.maxRetries());
  }

  @Test
  void answerSlowerThanTheReadTimeoutIs504LlmTimeout() {
    provider.answers(
        FakeLlmProvider.json(FakeLlmProvider.fixture("openai-text.json")).withFixedDelay(5_000));
    refused(504, "llm_timeout");
    assertThat(provider.requests()).hasSize(1);
  }

  @Test
  void answerTricklingPastTheOverallTimeoutIs504LlmTimeout() {
    // Each piece arrives within the read timeout; the whole takes longer than the 3 s limit.
    provider.answers(
        FakeLlmProvider.json(FakeLlmProvider.fixture("openai-text.json"))
            .withChunkedDribbleDelay(10, 6_000));
    refused(504, "llm_timeout");
  }

  @Test
  void connectionResetIs502LlmConnectionFailed() {
    provider.answers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    refused(502, "llm_connection_failed");
  }

  @Test
  void connectionClosedWithoutAnswerIs502LlmConnectionFailed() {
    provider.answers(aResponse().withFault(Fault.EMPTY_RESPONSE));
    refused(502, "llm_connection_failed");
  }

  @Test
  void nonJsonBodyIs502LlmBadResponse() {
    provider.answers(
        aResponse()
            .withStatus(200)
            .withHeader("Content-Type", "text/html")
            .withBody("<html><body>Service temporarily unavailable</body></html>"));
    JsonNode error = refused(502, "llm_bad_response");
    assertThat(error.get("message").asText()).contains("not a JSON object");
  }

  @Test
  void truncatedBodyIs502LlmBadResponse() {
    provider.answers(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
    JsonNode error = refused(502, "llm_bad_response");
    assertThat(error.get("message").asText()).contains("cut off");
  }

  @Test
  void answerWithoutChoicesIs502LlmBadResponse() {
    provider.answers(FakeLlmProvider.json("{\"id\":\"gen-1\",\"choices\":[]}"));
    refused(502, "llm_bad_response");
  }

  @Test
  void errorObjectInsideA200IsTheProvidersFailure() {
    provider.answers(
        FakeLlmProvider.json(
            "{\"error\":{\"message\":\"Upstream model overloaded\",\"code\":502},"
                + "\"user_id\":\"user_2z8Qm3XkV1pR7tN0aL5cY9bW4dE\"}"));
    JsonNode error = refused(502, "llm_server_error");
    assertThat(error.get("provider_message").asText()).isEqualTo("Upstream model overloaded");
  }

  @Test
  void providerRejection401Is502LlmRejectedWithItsStatusAndMessage() {
    provider.answers(status(401, "openrouter-401.json"));
    JsonNode error = refused(502, "llm_rejected");
    assertThat(error.get("provider_status").asInt()).isEqualTo(401);
    assertThat(error.get("provider_message").asText()).isEqualTo("No auth credentials found");
    assertThat(error.get("message").asText()).contains("HTTP 401").contains("No auth credentials");
    assertThat(provider.requests()).hasSize(1);
  }

  @Test
  void providerRejection400CarriesOpenAisErrorMessage() {
    provider.answers(status(400, "openai-400.json"));
    JsonNode error = refused(502, "llm_rejected");
    assertThat(error.get("provider_status").asInt()).isEqualTo(400);
    assertThat(error.get("provider_message").asText())
        .startsWith("Invalid schema for function 'get_weather'");
  }

  @Test
  void providerMessageQuotingTheApiKeyIsScrubbed() {
    String quoting =
        "{\"error\":{\"message\":\"Incorrect API key provided: "
            + FakeLlmProvider.API_KEY
            + ". You can find your API key at https://platform.openai.com/account/api-keys.\","
            + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
    provider.answers(aResponse().withStatus(401).withBody(quoting));
    JsonNode error = refused(502, "llm_rejected");
    assertThat(error.get("provider_message").asText()).contains("[redacted]");

    String partial = quoting.replace(FakeLlmProvider.API_KEY, FakeLlmProvider.API_KEY.substring(9));
    provider.reset();
    provider.answers(aResponse().withStatus(401).withBody(partial));
    JsonNode withheld = refused(502, "llm_rejected");
    assertThat(withheld.get("provider_message").asText()).contains("withheld");
    assertThat(withheld.toString()).doesNotContain(FakeLlmProvider.API_KEY.substring(9, 21));
  }

  @Test
  void redirectIsNotFollowed() {
    provider.answers(aResponse().withStatus(302).withHeader("Location", "/elsewhere"));
    JsonNode error = refused(502, "llm_bad_response");
    assertThat(error.get("message").asText()).contains("redirect");
    assertThat(provider.onlyRequest().getUrl()).isEqualTo(FakeLlmProvider.PATH);
  }

  @Test
  void untrustedTlsCertificateIsRefusedBeforeAnythingIsSent() {
    agent.operator().set("llm_base_url", provider.untrustedHttpsBaseUrl()).apply();
    try {
      provider.answers("openai-text.json");
      JsonNode error = refused(502, "llm_tls_failed");
      assertThat(error.get("message").asText()).contains("certificate");
      assertThat(provider.requests()).isEmpty();
    } finally {
      agent.operator().set("llm_base_url", provider.baseUrl()).apply();
    }
  }

  @Test
  void unreachableProviderIs502LlmConnectionFailed() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    agent.operator().set("llm_base_url", "http://127.0.0.1:" + closedPort + "/api/v1").apply();
    try {
      JsonNode error = refused(502, "llm_connection_failed");
      assertThat(error.get("message").asText()).contains("could not connect");
    } finally {
      agent.operator().set("llm_base_url", provider.baseUrl()).apply();
    }
  }
}
