package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.AgentWithProvider;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.TestAgent;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A malformed prompt is a signed 400 naming the problem, and the provider never hears of it. */
class PromptRefusalsIT {
  @RegisterExtension static final AgentWithProvider LLM = new AgentWithProvider();
  private FakeLlmProvider provider;
  private TestAgent agent;

  @BeforeEach
  void bind() {
    provider = LLM.provider();
    agent = LLM.agent();
    provider.answers("openai-text.json");
  }

  static Stream<Arguments> malformedBodies() {
    String user = "{\"role\":\"user\",\"content\":\"hi\"}";
    return Stream.of(
        Arguments.of("{}", "missing_field", "messages is required"),
        Arguments.of("{\"messages\":[]}", "invalid_field", "messages must be an array of 1"),
        Arguments.of("{\"messages\":\"hi\"}", "invalid_field", "'messages'"),
        Arguments.of(
            "{\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}",
            "invalid_field",
            "messages[0]: role must be one of system, user, assistant, tool"),
        Arguments.of(
            "{\"messages\":[" + user + ",{\"role\":\"user\"}]}",
            "missing_field",
            "messages[1]: content is required"),
        Arguments.of(
            "{\"messages\":[{\"role\":\"tool\",\"content\":\"18C\"}]}",
            "missing_field",
            "messages[0]: tool_call_id is required"),
        Arguments.of(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"tool_calls\":[]}]}",
            "invalid_field",
            "tool_calls are allowed on assistant messages only"),
        Arguments.of(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"refusal\":\"no\"}]}",
            "invalid_field",
            "messages[0]: refusal is allowed on assistant messages only"),
        Arguments.of(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"weight\":2}]}",
            "unknown_field",
            "'messages[0].weight'"),
        Arguments.of("{\"messages\":[" + user + "],\"n\":3}", "unknown_field", "'n'"),
        Arguments.of(
            "{\"messages\":[" + user + "],\"logit_bias\":{\"50256\":-100}}",
            "unknown_field",
            "'logit_bias'"),
        Arguments.of(
            "{\"messages\":[" + user + "],\"tools\":{\"type\":\"function\"}}",
            "invalid_field",
            "'tools'"),
        Arguments.of(
            "{\"messages\":[" + user + "],\"tools\":[{\"type\":\"retrieval\"}]}",
            "invalid_field",
            "tools[0]: type must be \"function\""),
        Arguments.of(
            "{\"messages\":["
                + user
                + "],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get weather\"}}]}",
            "invalid_field",
            "tools[0].function: name must be 1 to 64 letters"),
        Arguments.of(
            "{\"messages\":[" + user + "],\"tool_choice\":\"auto\"}",
            "invalid_field",
            "tool_choice needs tools"),
        Arguments.of(
            "{\"messages\":["
                + user
                + "],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}],"
                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"b\"}}}",
            "invalid_field",
            "tool_choice names 'b'"),
        Arguments.of(
            "{\"messages\":[" + user + "],\"max_tokens\":3.5}", "invalid_field", "'max_tokens'"),
        Arguments.of(
            "{\"messages\":[" + user + "],\"max_tokens\":0}", "invalid_field", "max_tokens"),
        Arguments.of(
            "{\"messages\":[" + user + "],\"temperature\":2.5}",
            "invalid_field",
            "temperature must be between 0.0 and 2.0"),
        Arguments.of(
            "{\"messages\":[" + user + "],\"temperature\":\"0.7\"}",
            "invalid_field",
            "'temperature'"),
        Arguments.of(
            "{\"messages\":[" + user + "],\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}",
            "invalid_field",
            "stop must be"),
        Arguments.of(
            "{\"messages\":[" + user + "],\"seed\":9007199254740993}",
            "invalid_field",
            "seed must be an integer within"),
        Arguments.of(
            "{\"messages\":[" + user + "],\"response_format\":{\"type\":\"xml\"}}",
            "invalid_field",
            "response_format must be"),
        Arguments.of("{\"messages\":[" + user + "],\"stream\":\"yes\"}", "invalid_field", "stream"),
        Arguments.of(
            "{\"messages\":[" + user + "],\"model\":\"a\",\"model\":\"b\"}",
            "duplicate_key",
            "'model'"),
        Arguments.of("{\"messages\":[" + user + "]", "malformed_json", "malformed JSON"));
  }

  @ParameterizedTest
  @MethodSource("malformedBodies")
  void malformedBodyIsASigned400BeforeAnyProviderCall(String body, String code, String message) {
    TestAgent.Reply reply = agent.post("/api/v1/prompt", body);
    assertThat(reply.status()).as(reply.text()).isEqualTo(400);
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    assertThat(reply.errorCode()).isEqualTo(code);
    assertThat(reply.json().at("/error/message").asText()).contains(message);
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void withoutAnApiKeyTheAgentAnswers503LlmNotConfigured() {
    try (TestAgent fresh = TestAgent.start()) {
      TestAgent.Reply reply = fresh.prompt(PromptBody.ask("hi"));
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.errorCode()).isEqualTo("llm_not_configured");
      assertThat(reply.verifiedSigner().checksummed()).isEqualTo(fresh.address());
    }
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void withoutAModelFromRequestOrVariableTheAgentAnswers400() {
    try (TestAgent fresh = TestAgent.start()) {
      fresh
          .operator()
          .setHidden("llm_api_key", FakeLlmProvider.API_KEY)
          .set("llm_base_url", provider.baseUrl())
          .apply();
      TestAgent.Reply reply = fresh.prompt(PromptBody.ask("hi"));
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.errorCode()).isEqualTo("missing_field");
      assertThat(reply.json().at("/error/message").asText()).contains("no llm_model");

      // A model named by the client must be one the operator allows.
      TestAgent.Reply notAllowed = fresh.prompt(PromptBody.ask("hi").model("openai/gpt-4o"));
      assertThat(notAllowed.status()).as(notAllowed.text()).isEqualTo(403);
      assertThat(notAllowed.errorCode()).isEqualTo("llm_model_not_allowed");
      fresh.operator().set("llm_allowed_models", "openai/gpt-4o").apply();
      TestAgent.Reply withModel = fresh.prompt(PromptBody.ask("hi").model("openai/gpt-4o"));
      assertThat(withModel.status()).as(withModel.text()).isEqualTo(200);
    }
    assertThat(provider.requests()).hasSize(1);
  }
}
