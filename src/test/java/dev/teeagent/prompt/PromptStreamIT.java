package dev.teeagent.prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.sun.net.httpserver.HttpServer;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.crypto.SignedBodyVerifier;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.AgentWithProvider;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.InFlightCalls;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.ServerSentEvents;
import dev.teeagent.testing.ServerSentEvents.Event;
import dev.teeagent.testing.TestAgent;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code "stream": true}: the provider's chunks are relayed as they come, then {@code [DONE]}, then
 * one signed event holding the assembled answer (or the failure, once streaming started).
 */
class PromptStreamIT {
  @RegisterExtension
  static final AgentWithProvider LLM = new AgentWithProvider(PromptFaultsIT.SHORT);

  private FakeLlmProvider provider;
  private TestAgent agent;

  @BeforeEach
  void bind() {
    provider = LLM.provider();
    agent = LLM.agent();
  }

  @AfterEach
  void noCallLeftAndTheAgentStillAnswers() {
    InFlightCalls.awaitNone(5_000);
    provider.reset();
    provider.answers(FakeLlmProvider.eventStream("openai-stream-text.sse"));
    assertThat(agent.prompt(PromptBody.ask("again").streamed()).status()).isEqualTo(200);
  }

  /** The final signed event, verified; its signer is the agent. */
  private JsonNode signedLast(TestAgent.Reply reply) {
    List<Event> events = ServerSentEvents.parse(reply.body());
    Event last = events.getLast();
    assertThat(last.name()).isEqualTo("signed");
    var verified =
        new SignedBodyVerifier(JsonMappers.strict())
            .verify(last.data().getBytes(StandardCharsets.UTF_8))
            .orElseThrow(() -> new AssertionError("unsigned last event: " + last.data()));
    assertThat(verified.signer().checksummed()).isEqualTo(agent.address());
    return verified.body();
  }

  @Test
  void textStreamRelaysEveryChunkVerbatimThenDoneThenTheSignedAssembledAnswer() {
    String recorded = FakeLlmProvider.fixture("openai-stream-text.sse");
    provider.answers(FakeLlmProvider.eventStream("openai-stream-text.sse"));
    TestAgent.Reply reply =
        agent.prompt(PromptBody.ask("What is the capital of France?").streamed());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("text/event-stream");
    List<Event> events = ServerSentEvents.parse(reply.body());
    List<String> relayed = events.subList(0, events.size() - 1).stream().map(Event::data).toList();
    assertThat(relayed).isEqualTo(ServerSentEvents.dataOf(recorded));
    assertThat(relayed.getLast()).isEqualTo("[DONE]");

    JsonNode answer = signedLast(reply);
    assertThat(answer.get("status").asInt()).isEqualTo(200);
    assertThat(answer.at("/response/content").asText())
        .isEqualTo("The capital of France is Paris.");
    JsonNode completion = answer.get("completion");
    assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
    assertThat(completion.get("id").asText()).isEqualTo("chatcmpl-BzHA1xY2zA3bC4dE5fG6hI7jK8lM");
    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(completion.at("/choices/0/message/role").asText()).isEqualTo("assistant");
    assertThat(completion.get("usage"))
        .isEqualTo(FakeLlmProvider.fixtureJson("openai-text.json").get("usage"));
    assertThat(answer.get("stream_hash").asText())
        .isEqualTo(Keccak.hashHex(ServerSentEvents.beforeSignedEvent(reply.body())));

    LoggedRequest sent = provider.onlyRequest();
    assertThat(sent.getHeader("Accept")).isEqualTo("text/event-stream");
    JsonNode body = FakeLlmProvider.bodyOf(sent);
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
    assertThat(answer.get("provider_request_hash").asText())
        .isEqualTo(Keccak.hashHex(sent.getBody()));
  }

  @Test
  void openRouterToolCallStreamWithCrlfAndCommentsIsAssembledIntoWholeToolCalls() {
    provider.answers(FakeLlmProvider.eventStream("openrouter-stream-tool-calls.sse"));
    TestAgent.Reply reply =
        agent.prompt(PromptBody.ask("Weather in Paris and Tokyo?").weatherTool().streamed());

    JsonNode answer = signedLast(reply);
    JsonNode calls = answer.at("/response/tool_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.at("/0/id").asText()).isEqualTo("call_Vb2nM5kL8jH1gF4dS7aQ0wE3");
    assertThat(calls.at("/0/type").asText()).isEqualTo("function");
    assertThat(calls.at("/0/function/name").asText()).isEqualTo("get_weather");
    assertThat(calls.at("/0/function/arguments").asText())
        .isEqualTo("{\"location\":\"Paris, France\"}");
    assertThat(calls.at("/1/id").asText()).isEqualTo("call_Kc7xZ1qW4eR8tY2uI5oP9aS6");
    assertThat(calls.at("/1/function/arguments").asText())
        .isEqualTo("{\"location\":\"Tokyo, Japan\"}");
    JsonNode completion = answer.get("completion");
    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(completion.at("/choices/0/native_finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(completion.at("/usage/cost").asDouble()).isEqualTo(0.0000408);
    assertThat(completion.get("provider").asText()).isEqualTo("OpenAI");
    assertThat(FakeLlmProvider.bodyOf(provider.onlyRequest()).get("tool_choice").asText())
        .isEqualTo("auto");
  }

  @Test
  void providerRefusalBeforeStreamingIsAnOrdinarySignedJsonError() {
    provider.answers(
        aResponse()
            .withStatus(401)
            .withHeader("Content-Type", "application/json")
            .withBody(FakeLlmProvider.fixture("openrouter-401.json")));
    TestAgent.Reply reply = agent.prompt(PromptBody.ask("hi").streamed());
    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.errorCode()).isEqualTo("llm_rejected");
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
  }

  @Test
  void streamCutOffMidwayEndsWithASignedErrorEvent() {
    String recorded = FakeLlmProvider.fixture("openai-stream-text.sse");
    String firstTwo = String.join("\n\n", List.of(recorded.split("\n\n")).subList(0, 2)) + "\n\n";
    provider.answers(
        aResponse()
            .withStatus(200)
            .withHeader("Content-Type", "text/event-stream")
            .withBody(firstTwo));
    TestAgent.Reply reply = agent.prompt(PromptBody.ask("hi").streamed());

    assertThat(reply.status()).isEqualTo(200);
    List<Event> events = ServerSentEvents.parse(reply.body());
    assertThat(events).hasSize(3);
    JsonNode last = signedLast(reply);
    assertThat(last.get("status").asInt()).isEqualTo(502);
    assertThat(last.at("/error/code").asText()).isEqualTo("llm_bad_response");
    assertThat(last.at("/error/message").asText()).contains("before it was complete");
    // The HTTP status went out with the first event: the id is the only way to the log line.
    assertThat(last.get("request_id").asText()).matches("[0-9a-f]{12}-[0-9]+");
  }

  @Test
  void errorChunkFromTheProviderMidStreamEndsWithASignedErrorEvent() {
    String recorded = FakeLlmProvider.fixture("openai-stream-text.sse");
    String first = recorded.split("\n\n")[0];
    String error =
        "data: {\"id\":\"gen-x\",\"object\":\"chat.completion.chunk\",\"created\":1753887720,"
            + "\"model\":\"openai/gpt-4o-mini\",\"provider\":\"OpenAI\","
            + "\"error\":{\"code\":502,\"message\":\"Provider disconnected\"},"
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}";
    provider.answers(
        aResponse()
            .withStatus(200)
            .withHeader("Content-Type", "text/event-stream")
            .withBody(first + "\n\n" + error + "\n\n"));
    JsonNode last = signedLast(agent.prompt(PromptBody.ask("hi").streamed()));
    assertThat(last.get("status").asInt()).isEqualTo(502);
    assertThat(last.at("/error/code").asText()).isEqualTo("llm_server_error");
    assertThat(last.at("/error/provider_message").asText()).isEqualTo("Provider disconnected");
  }

  @Test
  void streamOutlastingTheOverallTimeoutEndsWithASignedTimeoutEvent() {
    provider.answers(
        FakeLlmProvider.eventStream("openai-stream-text.sse").withChunkedDribbleDelay(20, 8_000));
    TestAgent.Reply reply = agent.prompt(PromptBody.ask("hi").streamed());
    JsonNode last = signedLast(reply);
    assertThat(last.get("status").asInt()).isEqualTo(504);
    assertThat(last.at("/error/code").asText()).isEqualTo("llm_timeout");
  }

  @Test
  void chunksReachTheClientBeforeTheProviderHasFinished() throws Exception {
    // The provider sends two chunks, then holds the rest until the client has seen one: an agent
    // that buffered the stream would show the client nothing until the provider finished.
    String[] events = FakeLlmProvider.fixture("openai-stream-text.sse").split("\n\n");
    CountDownLatch clientSawAChunk = new CountDownLatch(1);
    AtomicBoolean providerFinished = new AtomicBoolean();
    HttpServer held =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    held.createContext(
        FakeLlmProvider.PATH,
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < events.length; i++) {
              if (i == 2 && !clientSawAChunk.await(30, TimeUnit.SECONDS)) {
                break; // nothing relayed: end the stream early, the assertions below say why
              }
              out.write((events[i] + "\n\n").getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
            providerFinished.set(true);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    held.start();
    try (TestAgent relaying = TestAgent.start()) {
      relaying
          .operator()
          .setHidden("llm_api_key", FakeLlmProvider.API_KEY)
          .set("llm_base_url", "http://127.0.0.1:" + held.getAddress().getPort() + "/api/v1")
          .set("llm_model", FakeLlmProvider.MODEL)
          .apply();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(relaying.baseUrl() + "/api/v1/prompt"))
              .POST(HttpRequest.BodyPublishers.ofString(PromptBody.ask("hi").streamed().json()))
              .build();
      List<Boolean> finishedAtEachChunk = new java.util.ArrayList<>();
      HttpClient.newHttpClient()
          .send(request, HttpResponse.BodyHandlers.ofLines())
          .body()
          .filter(line -> line.startsWith("data: "))
          .forEach(
              line -> {
                finishedAtEachChunk.add(providerFinished.get());
                clientSawAChunk.countDown();
              });
      assertThat(finishedAtEachChunk).hasSizeGreaterThan(3);
      // Relayed as they come, not buffered to the end: the first chunk came while it was held.
      assertThat(finishedAtEachChunk.getFirst()).isFalse();
      assertThat(providerFinished).isTrue();
    } finally {
      held.stop(0);
    }
  }

  @Test
  void clientLeavingMidStreamFreesTheCallLongBeforeTheProviderWouldFinish() throws Exception {
    // Default limits (60 s silence, 120 s per prompt): only noticing the client left ends it.
    // A long answer, a token every ~150 ms, as a real model streams; the agent finds out at the
    // next event or the one after (the first write after a close may still be accepted).
    String[] recorded = FakeLlmProvider.fixture("openai-stream-text.sse").split("\n\n");
    StringBuilder longAnswer = new StringBuilder(recorded[0]).append("\n\n");
    for (int i = 0; i < 200; i++) {
      longAnswer.append(recorded[1].replace("The capital", "word" + i)).append("\n\n");
    }
    longAnswer.append(recorded[4]).append("\n\ndata: [DONE]\n\n");
    try (TestAgent patient = TestAgent.start()) {
      provider.configure(patient);
      provider.answers(
          aResponse()
              .withStatus(200)
              .withHeader("Content-Type", "text/event-stream")
              .withBody(longAnswer.toString())
              .withChunkedDribbleDelay(200, 30_000));
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(patient.baseUrl() + "/api/v1/prompt"))
              .POST(HttpRequest.BodyPublishers.ofString(PromptBody.ask("hi").streamed().json()))
              .build();
      HttpResponse<InputStream> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        assertThat(reader.readLine()).startsWith("data: ");
      }
      InFlightCalls.awaitNone(6_000);
    }
  }
}
