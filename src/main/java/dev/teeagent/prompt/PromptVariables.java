package dev.teeagent.prompt;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.outbound.OutboundHttp;
import dev.teeagent.variables.VariableSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.HttpUrl;

/**
 * The operator's variables that govern prompts (DESIGN §5), read afresh for every prompt because
 * the operator may change them. A missing key is 503 {@code llm_not_configured}; a value the agent
 * cannot use is 503 {@code llm_misconfigured} naming the variable (never quoting it).
 *
 * <p>What a client may spend of the operator's key is bounded: the model must be {@code llm_model}
 * or listed in {@code llm_allowed_models}, and {@code max_tokens} at most {@code llm_max_tokens}
 * (default {@value #DEFAULT_MAX_TOKENS}).
 */
record PromptVariables(
    HttpUrl baseUrl,
    ApiKey apiKey,
    Optional<String> defaultModel,
    Map<String, String> attributionHeaders,
    int maxPerMinute,
    Set<String> allowedModels,
    int maxTokens) {
  static final String API_KEY = "llm_api_key";
  static final String BASE_URL = "llm_base_url";
  static final String MODEL = "llm_model";
  static final String HTTP_REFERER = "llm_http_referer";
  static final String APP_TITLE = "llm_app_title";
  static final String MAX_PER_MINUTE = "prompt_max_per_minute";
  static final String ALLOWED_MODELS = "llm_allowed_models";
  static final String MAX_TOKENS = "llm_max_tokens";
  static final int DEFAULT_MAX_TOKENS = 4096;
  static final String DEFAULT_BASE_URL = "https://openrouter.ai/api/v1";
  static final int DEFAULT_MAX_PER_MINUTE = 60;
  static final int MAX_COUNT = 1_000_000;

  static PromptVariables read(VariableSource variables) {
    String key = variables.value(API_KEY).orElse("");
    if (key.isBlank()) {
      throw new AgentException(
          ErrorCode.LLM_NOT_CONFIGURED, "no LLM API key: the operator has not set llm_api_key");
    }
    if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw misconfigured(API_KEY, "must be printable ASCII without spaces");
    }
    HttpUrl baseUrl = baseUrl(variables.value(BASE_URL).orElse(DEFAULT_BASE_URL));
    Map<String, String> headers = new LinkedHashMap<>();
    header(variables, HTTP_REFERER).ifPresent(value -> headers.put("HTTP-Referer", value));
    header(variables, APP_TITLE).ifPresent(value -> headers.put("X-Title", value));
    Optional<String> model = variables.value(MODEL).filter(value -> !value.isBlank());
    Set<String> allowed = new TreeSet<>();
    model.ifPresent(allowed::add);
    variables.value(ALLOWED_MODELS).ifPresent(list -> allowed.addAll(List.of(list.split(","))));
    return new PromptVariables(
        baseUrl,
        new ApiKey(key),
        model,
        Map.copyOf(headers),
        count(variables, MAX_PER_MINUTE, DEFAULT_MAX_PER_MINUTE),
        Collections.unmodifiableSet(allowed),
        count(variables, MAX_TOKENS, DEFAULT_MAX_TOKENS));
  }

  /** Refuses a model or a max_tokens beyond what the operator allows (403 naming the variable). */
  void requireAllowed(String model, Integer requestedMaxTokens) {
    if (!allowedModels.contains(model)) {
      throw new AgentException(
          ErrorCode.LLM_MODEL_NOT_ALLOWED,
          "model "
              + model
              + " is not allowed: the operator allows "
              + (allowedModels.isEmpty() ? "none yet" : String.join(", ", allowedModels))
              + " (llm_model, and the list llm_allowed_models)");
    }
    if (requestedMaxTokens != null && requestedMaxTokens > maxTokens) {
      throw new AgentException(
          ErrorCode.LLM_MAX_TOKENS_EXCEEDED,
          "max_tokens "
              + requestedMaxTokens
              + " is above llm_max_tokens "
              + maxTokens
              + " (the operator's bound; "
              + DEFAULT_MAX_TOKENS
              + " when unset)");
    }
  }

  /** The base URL as called and reported in answers ({@code provider}), without trailing '/'. */
  String provider() {
    String url = baseUrl.toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  HttpUrl completionsUrl() {
    return HttpUrl.get(provider() + "/chat/completions");
  }

  /**
   * The rule of {@code set} time ({@link OutboundHttp#isAllowedUrl}: https, plain http only to a
   * literal loopback address, no credentials), checked again at use; and no query or fragment,
   * since the path is appended.
   */
  static HttpUrl baseUrl(String text) {
    HttpUrl url = OutboundHttp.isAllowedUrl(text) ? HttpUrl.parse(text) : null;
    if (url == null) {
      throw misconfigured(BASE_URL, "must be an https URL (plain http only to a loopback address)");
    }
    if (url.query() != null || url.fragment() != null) {
      throw misconfigured(BASE_URL, "must not have a query or fragment");
    }
    return url;
  }

  private static Optional<String> header(VariableSource variables, String name) {
    Optional<String> value = variables.value(name).filter(text -> !text.isEmpty());
    if (value.isPresent()
        && (value.get().length() > 512
            || !value.get().chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
      throw misconfigured(name, "must be at most 512 printable ASCII characters");
    }
    return value;
  }

  /** The rate limit alone: checked before a request body is parsed. */
  static int maxPerMinute(VariableSource variables) {
    return count(variables, MAX_PER_MINUTE, DEFAULT_MAX_PER_MINUTE);
  }

  private static int count(VariableSource variables, String name, int defaultValue) {
    Optional<String> text = variables.value(name);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(text.get().strip());
      if (value >= 1 && value <= MAX_COUNT) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw misconfigured(name, "must be an integer from 1 to " + MAX_COUNT);
  }

  private static AgentException misconfigured(String variable, String problem) {
    return new AgentException(ErrorCode.LLM_MISCONFIGURED, "variable " + variable + " " + problem);
  }
}
