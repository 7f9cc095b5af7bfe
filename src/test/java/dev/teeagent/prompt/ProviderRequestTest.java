package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.json.JsonMappers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProviderRequestTest {
  private static final ObjectMapper MAPPER = JsonMappers.strict();

  private static PromptRequest request(String json) throws Exception {
    return MAPPER.readValue(json, PromptRequest.class);
  }

  @Test
  void bodyIsCanonicalJsonWithTheSystemPromptFirstAndTheDefaults() throws Exception {
    PromptRequest request =
        request(
            "{\"system_prompt\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"temperature\":0.70}");
    ProviderRequest sent =
        ProviderRequest.build(request, "openai/gpt-4o-mini", request.maxTokensOr(4096), MAPPER);
    assertThat(new String(sent.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"max_tokens\":350,\"messages\":[{\"content\":\"Be brief.\",\"role\":\"system\"},"
                + "{\"content\":\"hi\",\"role\":\"user\"}],\"model\":\"openai/gpt-4o-mini\","
                + "\"temperature\":0.7}");
    assertThat(sent.hash()).isEqualTo(Keccak.hashHex(sent.body()));
    assertThat(sent.tools()).isNull();
    assertThat(sent.parameters())
        .isEqualTo(MAPPER.readTree("{\"max_tokens\":350,\"temperature\":0.7}"));
  }

  @Test
  void toolsGetToolChoiceAutoAndAStreamAsksForUsage() throws Exception {
    PromptRequest request =
        request(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}");
    JsonNode body =
        MAPPER.readTree(
            ProviderRequest.build(request, "m", request.maxTokensOr(4096), MAPPER).body());
    assertThat(body.get("tool_choice").asText()).isEqualTo("auto");
    assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("f");
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
  }

  @Test
  void anAssistantTurnWithToolCallsAndNoContentIsSentWithoutContent() throws Exception {
    PromptRequest request =
        request(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\","
                + "\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"42\"}]}");
    JsonNode messages =
        MAPPER
            .readTree(ProviderRequest.build(request, "m", request.maxTokensOr(4096), MAPPER).body())
            .get("messages");
    assertThat(messages.get(1).has("content")).isFalse();
    assertThat(messages.at("/1/tool_calls/0/function/arguments").asText()).isEqualTo("{}");
    assertThat(messages.at("/2/tool_call_id").asText()).isEqualTo("c");
  }
}
