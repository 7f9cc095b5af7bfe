package dev.teeagent.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.teeagent.json.JsonMappers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * WireMock standing in for OpenRouter on a loopback port, answering with shapes of real provider
 * answers (src/test/resources/llm), and an agent configured to call it through the real signed
 * {@code POST /variables}.
 */
public final class FakeLlmProvider implements AutoCloseable {
  /** Shaped like an OpenRouter key; the tests check it never leaves the agent but upstream. */
  public static final String API_KEY =
      "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";

  public static final String MODEL = "openai/gpt-4o-mini";
  public static final String PATH = "/api/v1/chat/completions";

  private final WireMockServer server;

  private FakeLlmProvider(WireMockServer server) {
    this.server = server;
  }

  public static FakeLlmProvider start() {
    WireMockServer server =
        new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort());
    server.start();
    return new FakeLlmProvider(server);
  }

  /** What the operator sets as {@code llm_base_url}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.port() + "/api/v1";
  }

  /** The same WireMock over TLS with its own self-signed certificate, which no CA vouches for. */
  public String untrustedHttpsBaseUrl() {
    return "https://127.0.0.1:" + server.httpsPort() + "/api/v1";
  }

  /** Sets key, base URL, model and a generous rate limit, through the real signed endpoint. */
  public void configure(TestAgent agent) {
    agent
        .operator()
        .setHidden("llm_api_key", API_KEY)
        .set("llm_base_url", baseUrl())
        .set("llm_model", MODEL)
        .set("prompt_max_per_minute", "100000")
        .apply();
  }

  /** Every chat-completions call is answered 200 with the fixture, as JSON. */
  public void answers(String fixture) {
    answers(json(fixture(fixture)));
  }

  public void answers(ResponseDefinitionBuilder response) {
    stub(post(urlEqualTo(PATH)).willReturn(response));
  }

  /** The first call gets {@code first}, every later one {@code then}. */
  public void answersFirstThen(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
    stub(
        post(urlEqualTo(PATH))
            .inScenario("first-then")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(first)
            .willSetStateTo("then"));
    stub(
        post(urlEqualTo(PATH))
            .inScenario("first-then")
            .whenScenarioStateIs("then")
            .willReturn(then));
  }

  public void stub(MappingBuilder mapping) {
    server.stubFor(mapping);
  }

  public static ResponseDefinitionBuilder json(String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  public static ResponseDefinitionBuilder eventStream(String fixture) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "text/event-stream")
        .withBody(fixture(fixture));
  }

  public List<LoggedRequest> requests() {
    return server.findAll(
        com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
            com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
  }

  /** The one request received; fails unless there was exactly one. */
  public LoggedRequest onlyRequest() {
    List<LoggedRequest> all = requests();
    if (all.size() != 1) {
      throw new AssertionError("expected one request to the provider, got " + all.size());
    }
    return all.getFirst();
  }

  public static JsonNode bodyOf(LoggedRequest request) {
    try {
      return JsonMappers.strict().readTree(request.getBody());
    } catch (IOException e) {
      throw new AssertionError("the agent sent a body that is not JSON", e);
    }
  }

  public void reset() {
    server.resetAll();
  }

  public WireMockServer wireMock() {
    return server;
  }

  /** The text of src/test/resources/llm/{name}. */
  public static String fixture(String name) {
    try (InputStream in = FakeLlmProvider.class.getResourceAsStream("/llm/" + name)) {
      if (in == null) {
        throw new AssertionError("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode fixtureJson(String name) {
    try {
      return JsonMappers.strict().readTree(fixture(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
