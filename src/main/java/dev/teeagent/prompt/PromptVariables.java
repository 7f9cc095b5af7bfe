package dev.teeagent.prompt;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.variables.InvalidValue;
import dev.teeagent.variables.VariableSource;
import dev.teeagent.variables.WellKnownValues;
import dev.teeagent.variables.WellKnownVariable;
import dev.teeagent.variables.WellKnownVariables;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/**
 * The operator's variables that govern prompts (DESIGN §5), read afresh for every prompt because
 * the operator may change them; their formats and defaults are those of {@link WellKnownVariables},
 * checked when they are set. A missing key is 503 {@code llm_not_configured}; a value that still
 * does not parse (a restored state) is 503 {@code llm_misconfigured} naming the variable (never
 * quoting it).
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
  private static final List<WellKnownVariable<?>> READ =
      List.of(
          WellKnownVariables.LLM_API_KEY,
          WellKnownVariables.LLM_BASE_URL,
          WellKnownVariables.LLM_MODEL,
          WellKnownVariables.LLM_ALLOWED_MODELS,
          WellKnownVariables.LLM_MAX_TOKENS,
          WellKnownVariables.LLM_HTTP_REFERER,
          WellKnownVariables.LLM_APP_TITLE,
          WellKnownVariables.PROMPT_MAX_PER_MINUTE);

  static PromptVariables read(VariableSource variables) {
    if (variables.value(WellKnownVariables.LLM_API_KEY.name()).orElse("").isBlank()) {
      throw new AgentException(
          ErrorCode.LLM_NOT_CONFIGURED, "no LLM API key: the operator has not set llm_api_key");
    }
    WellKnownValues values = typed(() -> WellKnownValues.read(variables, READ));
    Map<String, String> headers = new LinkedHashMap<>();
    values
        .get(WellKnownVariables.LLM_HTTP_REFERER)
        .filter(value -> !value.isEmpty())
        .ifPresent(value -> headers.put("HTTP-Referer", value));
    values
        .get(WellKnownVariables.LLM_APP_TITLE)
        .filter(value -> !value.isEmpty())
        .ifPresent(value -> headers.put("X-Title", value));
    Optional<String> model =
        values.get(WellKnownVariables.LLM_MODEL).filter(value -> !value.isBlank());
    Set<String> allowed = new TreeSet<>();
    model.ifPresent(allowed::add);
    values.get(WellKnownVariables.LLM_ALLOWED_MODELS).ifPresent(allowed::addAll);
    return new PromptVariables(
        values.get(WellKnownVariables.LLM_BASE_URL).orElseThrow(),
        new ApiKey(values.get(WellKnownVariables.LLM_API_KEY).orElseThrow()),
        model,
        Map.copyOf(headers),
        values.get(WellKnownVariables.PROMPT_MAX_PER_MINUTE).orElseThrow(),
        Collections.unmodifiableSet(allowed),
        values.get(WellKnownVariables.LLM_MAX_TOKENS).orElseThrow());
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
              + WellKnownVariables.LLM_MAX_TOKENS.defaultText().orElseThrow()
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

  /** The rate limit alone: checked before a request body is parsed. */
  static int maxPerMinute(VariableSource variables) {
    return typed(() -> WellKnownVariables.PROMPT_MAX_PER_MINUTE.read(variables)).orElseThrow();
  }

  private static <T> T typed(Supplier<T> read) {
    try {
      return read.get();
    } catch (InvalidValue invalid) {
      throw new AgentException(
          ErrorCode.LLM_MISCONFIGURED, "variable " + invalid.variable() + ": " + invalid.problem());
    }
  }
}
