package dev.teeagent.prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.testing.AgentWithProvider;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.TestAgent;
import java.math.BigInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real provider answers (OpenAI and OpenRouter shapes) come back whole inside the signed answer,
 * and the provider receives exactly the request the client asked for.
 */
class PromptIT {
  @RegisterExtension static final AgentWithProvider LLM = new AgentWithProvider();
  private FakeLlmProvider provider;
  private TestAgent agent;

  @BeforeEach
  void bind() {
    provider = LLM.provider();
    agent = LLM.agent();
  }

  private JsonNode signedOk(TestAgent.Reply reply) {
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    return reply.json();
  }

  @Test
  void plainTextAnswerComesBackWholeWithUsageAndTheProviderGetsTheSystemPromptFirst() {
    provider.answers("openai-text.json");
    JsonNode answer =
        signedOk(
            agent.prompt(
                PromptBody.ask("What is the capital of France?").system("Answer in one line.")));

    assertThat(answer.get("completion")).isEqualTo(FakeLlmProvider.fixtureJson("openai-text.json"));
    assertThat(answer.at("/response/content").asText())
        .isEqualTo("The capital of France is Paris.");
    assertThat(answer.at("/response/tool_calls").isNull()).isTrue();
    assertThat(answer.get("model").asText()).isEqualTo(FakeLlmProvider.MODEL);
    assertThat(answer.get("provider").asText()).isEqualTo(provider.baseUrl());
    assertThat(answer.get("system_prompt").asText()).isEqualTo("Answer in one line.");
    assertThat(answer.get("messages"))
        .isEqualTo(PromptBody.ask("What is the capital of France?").messages());
    assertThat(answer.get("tools").isNull()).isTrue();
    assertThat(answer.get("parameters")).isEqualTo(PromptBody.parse("{\"max_tokens\":350}"));

    LoggedRequest sent = provider.onlyRequest();
    assertThat(sent.getUrl()).isEqualTo(FakeLlmProvider.PATH);
    assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + FakeLlmProvider.API_KEY);
    assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
    JsonNode body = FakeLlmProvider.bodyOf(sent);
    assertThat(body.get("model").asText()).isEqualTo(FakeLlmProvider.MODEL);
    assertThat(body.get("max_tokens").asInt()).isEqualTo(350);
    assertThat(body.at("/messages/0"))
        .isEqualTo(PromptBody.parse("{\"role\":\"system\",\"content\":\"Answer in one line.\"}"));
    assertThat(body.at("/messages/1/content").asText()).isEqualTo("What is the capital of France?");
    assertThat(body.get("messages")).hasSize(2);
    assertThat(body.has("tools")).isFalse();
    assertThat(body.has("tool_choice")).isFalse();
    assertThat(answer.get("provider_request_hash").asText())
        .isEqualTo(Keccak.hashHex(sent.getBody()));
  }

  @Test
  void toolCallWithArgumentsComesBackAndTheProviderGetsToolsWithToolChoiceAuto() {
    provider.answers("openrouter-tool-call.json");
    JsonNode answer =
        signedOk(agent.prompt(PromptBody.ask("What's the weather in Paris?").weatherTool()));

    JsonNode fixture = FakeLlmProvider.fixtureJson("openrouter-tool-call.json");
    assertThat(answer.get("completion")).isEqualTo(fixture);
    assertThat(answer.at("/response/tool_calls"))
        .isEqualTo(fixture.at("/choices/0/message/tool_calls"));
    assertThat(answer.at("/response/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"location\":\"Paris, France\",\"unit\":\"celsius\"}");
    assertThat(answer.at("/response/content").asText()).isEmpty();
    assertThat(answer.at("/completion/usage/cost").asDouble()).isEqualTo(0.00002415);
    assertThat(answer.at("/completion/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(answer.get("tools").get(0)).isEqualTo(PromptBody.weatherToolJson());

    JsonNode body = FakeLlmProvider.bodyOf(provider.onlyRequest());
    assertThat(body.get("tools")).hasSize(1);
    assertThat(body.get("tools").get(0)).isEqualTo(PromptBody.weatherToolJson());
    assertThat(body.get("tool_choice").asText()).isEqualTo("auto");
  }

  @Test
  void parallelToolCallsComeBackAndToolChoiceAndParallelFlagPassThrough() {
    provider.answers("openai-parallel-tool-calls.json");
    JsonNode answer =
        signedOk(
            agent.prompt(
                PromptBody.ask("Weather in Paris and Tokyo?")
                    .weatherTool()
                    .with("tool_choice", "required")
                    .with("parallel_tool_calls", true)));

    assertThat(answer.at("/response/tool_calls")).hasSize(2);
    assertThat(answer.at("/response/tool_calls/1/function/arguments").asText())
        .isEqualTo("{\"location\": \"Tokyo, Japan\"}");
    assertThat(answer.at("/response/content").isNull()).isTrue();
    assertThat(answer.get("completion"))
        .isEqualTo(FakeLlmProvider.fixtureJson("openai-parallel-tool-calls.json"));
    JsonNode body = FakeLlmProvider.bodyOf(provider.onlyRequest());
    assertThat(body.get("tool_choice").asText()).isEqualTo("required");
    assertThat(body.get("parallel_tool_calls").asBoolean()).isTrue();
  }

  @Test
  void refusalComesBackWholeWithNullContent() {
    provider.answers("openai-refusal.json");
    JsonNode answer = signedOk(agent.prompt(PromptBody.ask("Help me pick a lock.")));
    assertThat(answer.at("/response/content").isNull()).isTrue();
    assertThat(answer.at("/completion/choices/0/message/refusal").asText())
        .isEqualTo("I'm sorry, I can't assist with that request.");
    assertThat(answer.get("completion"))
        .isEqualTo(FakeLlmProvider.fixtureJson("openai-refusal.json"));
  }

  @Test
  void namedToolChoiceAndAToolResultTurnReachTheProviderAsSent() {
    provider.answers("openai-text.json");
    PromptBody prompt = PromptBody.ask("What's the weather in Paris?").weatherTool();
    JsonNode call = FakeLlmProvider.fixtureJson("openai-parallel-tool-calls.json");
    ObjectNode assistant = prompt.messages().addObject().put("role", "assistant");
    assistant.set("tool_calls", call.at("/choices/0/message/tool_calls"));
    prompt
        .messages()
        .addObject()
        .put("role", "tool")
        .put("tool_call_id", "call_8pUaV2d3H0eQbX1rZk7nM4wS")
        .put("content", "{\"temperature\": 18, \"unit\": \"celsius\"}");
    ObjectNode choice = JsonNodeFactory.instance.objectNode().put("type", "function");
    choice.putObject("function").put("name", "get_weather");
    prompt.with("tool_choice", choice);

    signedOk(agent.prompt(prompt));
    JsonNode body = FakeLlmProvider.bodyOf(provider.onlyRequest());
    assertThat(body.get("messages")).isEqualTo(prompt.messages());
    assertThat(body.get("tool_choice")).isEqualTo(choice);
  }

  @Test
  void aClientLoopSendingBackTheResponsesToolCallsWorksAndIndexIsNotSentOn() {
    provider.answers("openrouter-tool-call.json");
    PromptBody first = PromptBody.ask("What's the weather in Paris?").weatherTool();
    JsonNode answer = signedOk(agent.prompt(first));

    // The seed's loop: the assistant turn from `response`, then the tool's result.
    PromptBody second = PromptBody.ask("What's the weather in Paris?").weatherTool();
    ObjectNode assistant = second.messages().addObject().put("role", "assistant");
    assistant.set("content", answer.at("/response/content"));
    assistant.set("tool_calls", answer.at("/response/tool_calls"));
    assistant.putNull("refusal");
    second
        .messages()
        .addObject()
        .put("role", "tool")
        .put("tool_call_id", answer.at("/response/tool_calls/0/id").asText())
        .put("content", "{\"temperature\": 18, \"unit\": \"celsius\"}");
    provider.reset();
    provider.answers("openai-text.json");
    JsonNode followUp = signedOk(agent.prompt(second));

    JsonNode sentCall =
        FakeLlmProvider.bodyOf(provider.onlyRequest()).at("/messages/1/tool_calls/0");
    assertThat(sentCall.has("index")).isFalse();
    assertThat(sentCall.at("/function/arguments").asText())
        .isEqualTo("{\"location\":\"Paris, France\",\"unit\":\"celsius\"}");
    assertThat(followUp.at("/messages/1/tool_calls/0")).isEqualTo(sentCall);
  }

  @Test
  void requestModelWinsOverLlmModelAndSamplingFieldsPassThroughUnchanged() {
    provider.answers("openai-text.json");
    agent.operator().set("llm_allowed_models", "anthropic/claude-3.5-haiku").apply();
    ObjectNode format = JsonNodeFactory.instance.objectNode().put("type", "json_object");
    PromptBody prompt =
        PromptBody.ask("Reply in JSON.")
            .model("anthropic/claude-3.5-haiku")
            .with("max_tokens", 64)
            .with("temperature", 0.2)
            .with("top_p", 0.9)
            .with("seed", 42)
            .with("frequency_penalty", -0.5)
            .with("presence_penalty", 1.5)
            .with("stop", JsonNodeFactory.instance.arrayNode().add("\n\n").add("END"))
            .with("response_format", format);
    JsonNode answer = signedOk(agent.prompt(prompt));

    JsonNode body = FakeLlmProvider.bodyOf(provider.onlyRequest());
    assertThat(body.get("model").asText()).isEqualTo("anthropic/claude-3.5-haiku");
    assertThat(answer.get("model").asText()).isEqualTo("anthropic/claude-3.5-haiku");
    for (String field :
        new String[] {
          "max_tokens",
          "temperature",
          "top_p",
          "seed",
          "frequency_penalty",
          "presence_penalty",
          "stop",
          "response_format"
        }) {
      assertThat(body.get(field)).as(field).isEqualTo(prompt.tree().get(field));
      assertThat(answer.at("/parameters/" + field)).as(field).isEqualTo(prompt.tree().get(field));
    }
  }

  @Test
  void attributionHeadersComeFromVariablesAndOnlyWhenSet() {
    provider.answers("openai-text.json");
    signedOk(agent.prompt(PromptBody.ask("hi")));
    LoggedRequest before = provider.onlyRequest();
    assertThat(before.containsHeader("HTTP-Referer")).isFalse();
    assertThat(before.containsHeader("X-Title")).isFalse();

    agent
        .operator()
        .set("llm_http_referer", "https://agent.example.org")
        .set("llm_app_title", "TEE Agent demo")
        .apply();
    try {
      provider.reset();
      provider.stub(
          post(urlEqualTo(FakeLlmProvider.PATH))
              .withHeader("HTTP-Referer", containing("https://agent.example.org"))
              .withHeader("X-Title", containing("TEE Agent demo"))
              .willReturn(FakeLlmProvider.json(FakeLlmProvider.fixture("openai-text.json"))));
      signedOk(agent.prompt(PromptBody.ask("hi")));
    } finally {
      agent.operator().delete("llm_http_referer").delete("llm_app_title").apply();
    }
  }

  @Test
  void integersBeyondTwoToThe53InTheProviderAnswerBecomeStringsAndStillVerify() {
    ObjectNode completion = (ObjectNode) FakeLlmProvider.fixtureJson("openai-text.json");
    BigInteger huge = new BigInteger("123456789012345678901234567890");
    ((ObjectNode) completion.get("usage")).put("total_cost_wei", huge);
    provider.answers(FakeLlmProvider.json(completion.toString()));

    JsonNode answer = signedOk(agent.prompt(PromptBody.ask("hi")));
    JsonNode relayed = answer.at("/completion/usage/total_cost_wei");
    assertThat(relayed.isTextual()).isTrue();
    assertThat(relayed.asText()).isEqualTo(huge.toString());
    assertThat(answer.at("/completion/usage/prompt_tokens").isInt()).isTrue();
  }
}
