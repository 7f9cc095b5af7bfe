package dev.teeagent.config;

import java.time.Duration;

/**
 * How the agent talks to the LLM provider, fixed at start (the provider's URL, key and model are
 * operator variables; these are the machine's limits). {@code callTimeout} bounds a whole prompt,
 * retries included; {@code readTimeout} bounds silence between two reads; {@code maxConcurrent}
 * bounds calls in flight so a slow provider cannot pile up work; transient failures are retried at
 * most {@code maxRetries} times, never waiting longer than {@code maxRetryWait} for one retry.
 */
public record PromptSettings(
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout,
    int maxConcurrent,
    int maxRetries,
    Duration maxRetryWait) {
  private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
  private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  public PromptSettings {
    within("--llm-connect-timeout", connectTimeout, MIN_TIMEOUT, MAX_TIMEOUT);
    within("--llm-read-timeout", readTimeout, MIN_TIMEOUT, MAX_TIMEOUT);
    within("--llm-timeout", callTimeout, MIN_TIMEOUT, MAX_TIMEOUT);
    if (callTimeout.compareTo(connectTimeout) < 0) {
      throw new ConfigException("--llm-timeout: must not be shorter than --llm-connect-timeout");
    }
    if (maxConcurrent < 1 || maxConcurrent > 4096) {
      throw new ConfigException("--llm-max-concurrent: must be between 1 and 4096");
    }
    if (maxRetries < 0 || maxRetries > 5) {
      throw new ConfigException("--llm-max-retries: must be between 0 and 5");
    }
    within("--llm-max-retry-wait", maxRetryWait, Duration.ZERO, Duration.ofMinutes(1));
  }

  public static PromptSettings defaults() {
    return new PromptSettings(
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofSeconds(120),
        64,
        2,
        Duration.ofSeconds(5));
  }

  /** The {@code serve} flags as given (durations as text: "500ms", "10s", "2m"); null if unset. */
  public record Flags(
      String connectTimeout,
      String readTimeout,
      String callTimeout,
      Integer maxConcurrent,
      Integer maxRetries,
      String maxRetryWait) {}

  public static PromptSettings load(Flags flags) {
    PromptSettings d = defaults();
    return new PromptSettings(
        duration("--llm-connect-timeout", flags.connectTimeout(), d.connectTimeout()),
        duration("--llm-read-timeout", flags.readTimeout(), d.readTimeout()),
        duration("--llm-timeout", flags.callTimeout(), d.callTimeout()),
        flags.maxConcurrent() == null ? d.maxConcurrent() : flags.maxConcurrent(),
        flags.maxRetries() == null ? d.maxRetries() : flags.maxRetries(),
        duration("--llm-max-retry-wait", flags.maxRetryWait(), d.maxRetryWait()));
  }

  static Duration duration(String flag, String text, Duration fallback) {
    if (text == null) {
      return fallback;
    }
    return DurationText.parse(text)
        .orElseThrow(
            () ->
                new ConfigException(
                    flag + ": must be a duration such as " + DurationText.EXAMPLES));
  }

  private static void within(String flag, Duration value, Duration min, Duration max) {
    if (value == null) {
      throw new ConfigException(flag + ": must be set");
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new ConfigException(
          flag + ": must be between " + min.toMillis() + "ms and " + max.toMillis() + "ms");
    }
  }
}
