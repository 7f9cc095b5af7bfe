package dev.teeagent.prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.LogCapture;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.TestAgent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hidden API key appears in no answer (body or header) and no log line — Logback at TRACE and
 * java.util.logging (OkHttp's) at ALL — across answers, streams and every provider fault.
 */
class PromptSecrecyIT {
  private static final String KEY = FakeLlmProvider.API_KEY;

  /** Everything that must never show: the key, and any 16-character piece of it. */
  private static List<String> forbidden() {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i + 16 <= KEY.length(); i += 4) {
      pieces.add(KEY.substring(i, i + 16));
    }
    return pieces;
  }

  private static List<ResponseDefinitionBuilder> providerBehaviours() {
    String quotingKey =
        "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"code\":401}}";
    return List.of(
        FakeLlmProvider.json(FakeLlmProvider.fixture("openrouter-tool-call.json")),
        FakeLlmProvider.eventStream("openai-stream-text.sse"),
        aResponse().withStatus(401).withBody(quotingKey),
        aResponse().withStatus(400).withBody(FakeLlmProvider.fixture("openai-400.json")),
        aResponse().withStatus(500).withBody(quotingKey),
        aResponse().withStatus(503).withHeader("Retry-After", "1").withBody(quotingKey),
        aResponse().withStatus(429).withHeader("Retry-After", "60").withBody(quotingKey),
        aResponse().withStatus(302).withHeader("Location", "/steal?key=" + KEY),
        FakeLlmProvider.json("not json " + KEY),
        FakeLlmProvider.json(FakeLlmProvider.fixture("openai-text.json")).withFixedDelay(3_000),
        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
        aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK),
        aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE));
  }

  @Test
  void apiKeyAppearsInNoAnswerAndNoLogLineWhateverTheProviderDoes() {
    List<TestAgent.Reply> replies = new ArrayList<>();
    List<String> lines;
    try (LogCapture logs = LogCapture.start()) {
      try (FakeLlmProvider provider = FakeLlmProvider.start();
          TestAgent agent = TestAgent.start(PromptFaultsIT.SHORT)) {
        provider.configure(agent);
        for (ResponseDefinitionBuilder behaviour : providerBehaviours()) {
          provider.reset();
          provider.answers(behaviour);
          replies.add(agent.prompt(PromptBody.ask("What's the weather in Paris?").weatherTool()));
          replies.add(agent.prompt(PromptBody.ask("And in Tokyo?").streamed()));
        }
        agent.operator().set("llm_base_url", provider.untrustedHttpsBaseUrl()).apply();
        replies.add(agent.prompt(PromptBody.ask("over TLS")));
        replies.add(agent.get("/api/v1/variables"));
        replies.add(agent.get("/api/v1/variables/llm_api_key"));
      }
      lines = logs.lines();
    }

    assertThat(replies).extracting(TestAgent.Reply::status).contains(200, 502, 504);
    assertThat(lines).isNotEmpty();
    for (String secret : forbidden()) {
      for (String line : lines) {
        assertThat(line).doesNotContain(secret);
      }
      for (TestAgent.Reply reply : replies) {
        assertThat(reply.text()).doesNotContain(secret);
        assertThat(reply.headers().map().toString()).doesNotContain(secret);
      }
    }
  }
}
