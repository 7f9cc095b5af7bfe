package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.variables.VariableSource;
import dev.teeagent.variables.WellKnownSamples;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PromptVariablesTest {
  private static final String KEY = "sk-or-v1-0123456789abcdef0123456789abcdef";

  private static VariableSource vars(Map<String, String> values) {
    return name -> Optional.ofNullable(values.get(name));
  }

  private static Map<String, String> withKey() {
    Map<String, String> values = new HashMap<>();
    values.put("llm_api_key", KEY);
    return values;
  }

  private static AgentException refusal(Map<String, String> values) {
    return catchThrowableOfType(AgentException.class, () -> PromptVariables.read(vars(values)));
  }

  @Test
  void defaultsToOpenRouterSixtyPerMinuteAndNoAttribution() {
    PromptVariables read = PromptVariables.read(vars(withKey()));
    assertThat(read.provider()).isEqualTo("https://openrouter.ai/api/v1");
    assertThat(read.completionsUrl().toString())
        .isEqualTo("https://openrouter.ai/api/v1/chat/completions");
    assertThat(read.maxPerMinute()).isEqualTo(60);
    assertThat(read.defaultModel()).isEmpty();
    assertThat(read.attributionHeaders()).isEmpty();
    assertThat(read.toString()).doesNotContain(KEY);
  }

  @Test
  void noKeyIsLlmNotConfigured() {
    assertThat(refusal(Map.of()).code()).isEqualTo(ErrorCode.LLM_NOT_CONFIGURED);
    assertThat(refusal(Map.of("llm_api_key", "  ")).code()).isEqualTo(ErrorCode.LLM_NOT_CONFIGURED);
  }

  @Test
  void readsBaseUrlModelRateAndAttributionHeaders() {
    Map<String, String> values = withKey();
    values.put("llm_base_url", "http://127.0.0.1:8080/v1/");
    values.put("llm_model", "openai/gpt-4o-mini");
    values.put("prompt_max_per_minute", "5");
    values.put("llm_http_referer", "https://agent.example.org");
    values.put("llm_app_title", "TEE Agent");
    PromptVariables read = PromptVariables.read(vars(values));
    assertThat(read.provider()).isEqualTo("http://127.0.0.1:8080/v1");
    assertThat(read.completionsUrl().toString())
        .isEqualTo("http://127.0.0.1:8080/v1/chat/completions");
    assertThat(read.defaultModel()).contains("openai/gpt-4o-mini");
    assertThat(read.maxPerMinute()).isEqualTo(5);
    assertThat(read.attributionHeaders())
        .containsEntry("HTTP-Referer", "https://agent.example.org")
        .containsEntry("X-Title", "TEE Agent");
  }

  @Test
  void plainHttpOnlyToLoopbackAndNoQueryNamingTheVariable() {
    for (String url :
        new String[] {
          "http://openrouter.ai/api/v1",
          "http://localhost:8080/v1",
          "ftp://127.0.0.1/v1",
          "https://user:pass@openrouter.ai/api/v1",
          "https://openrouter.ai/api/v1?key=x",
          "not a url"
        }) {
      Map<String, String> values = withKey();
      values.put("llm_base_url", url);
      AgentException refused = refusal(values);
      assertThat(refused.code()).as(url).isEqualTo(ErrorCode.LLM_MISCONFIGURED);
      assertThat(refused.clientMessage()).as(url).startsWith("variable llm_base_url");
    }
    Map<String, String> ipv6 = withKey();
    ipv6.put("llm_base_url", "http://[::1]:9000/v1");
    assertThat(PromptVariables.read(vars(ipv6)).provider()).isEqualTo("http://[::1]:9000/v1");
  }

  @Test
  void unusableRateOrHeaderValuesAreLlmMisconfiguredNamingTheVariable() {
    Map<String, String> rate = withKey();
    rate.put("prompt_max_per_minute", "0");
    assertThat(refusal(rate).clientMessage()).startsWith("variable prompt_max_per_minute");
    Map<String, String> header = withKey();
    header.put("llm_app_title", "two\nlines");
    assertThat(refusal(header).clientMessage()).startsWith("variable llm_app_title");
    Map<String, String> key = withKey();
    key.put("llm_api_key", "sk with spaces");
    AgentException refused = refusal(key);
    assertThat(refused.clientMessage()).startsWith("variable llm_api_key");
    assertThat(refused.clientMessage()).doesNotContain("sk with spaces");
  }

  static Stream<Arguments> acceptedPromptValues() {
    return WellKnownSamples.GOOD.entrySet().stream()
        .filter(e -> e.getKey().startsWith("llm_") || e.getKey().startsWith("prompt_"))
        .flatMap(e -> e.getValue().stream().map(value -> Arguments.of(e.getKey(), value)));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("acceptedPromptValues")
  void everyValueSetAcceptsIsOnePromptsCanUse(String name, String value) {
    Map<String, String> values = withKey();
    values.put(name, value);
    PromptVariables read = PromptVariables.read(vars(values));
    assertThat(read.completionsUrl().toString()).endsWith("/chat/completions");
    assertThat(read.completionsUrl().query()).isNull();
    assertThat(read.maxPerMinute()).isEqualTo(PromptVariables.maxPerMinute(vars(values)));
  }
}
