package dev.teeagent.cli;

import dev.teeagent.App;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.ConfigException;
import dev.teeagent.config.PromptSettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: runs the agent until SIGTERM/SIGINT, then drains in-flight requests. */
@Command(name = "serve", description = "Run the agent's HTTP API.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--tee-name", description = "Agent name (default: $TEE_NAME).")
  String teeName;

  @Option(names = "--operator", description = "Operator address (default: $OPERATOR_ADDRESS).")
  String operator;

  @Option(names = "--host", description = "Listen address (default: 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "Listen port (default: 7047; 0 picks a free one).")
  Integer port;

  @Option(
      names = "--llm-connect-timeout",
      description = "Time to open a connection to the LLM provider (default: 10s).")
  String llmConnectTimeout;

  @Option(
      names = "--llm-read-timeout",
      description = "Longest silence while reading the provider's answer (default: 60s).")
  String llmReadTimeout;

  @Option(names = "--llm-timeout", description = "Whole prompt, retries included (default: 120s).")
  String llmTimeout;

  @Option(
      names = "--llm-max-concurrent",
      description = "Prompts in flight to the provider at once; more get 503 (default: 64).")
  Integer llmMaxConcurrent;

  @Option(
      names = "--llm-max-retries",
      description = "Retries of a transient provider failure, 0-5 (default: 2).")
  Integer llmMaxRetries;

  @Option(
      names = "--llm-max-retry-wait",
      description =
          "Longest wait before one retry; a longer Retry-After fails at once (default: 5s).")
  String llmMaxRetryWait;

  @Override
  public Integer call() throws InterruptedException {
    AgentSettings settings;
    try {
      settings =
          AgentSettings.load(
                  new AgentSettings.Flags(teeName, operator, host, port), System.getenv())
              .withPrompt(
                  PromptSettings.load(
                      new PromptSettings.Flags(
                          llmConnectTimeout,
                          llmReadTimeout,
                          llmTimeout,
                          llmMaxConcurrent,
                          llmMaxRetries,
                          llmMaxRetryWait)));
    } catch (ConfigException e) {
      System.err.println("tee-agent: invalid setting: " + e.getMessage());
      return 2;
    }
    App app = App.start(settings, Clock.systemUTC(), new SecureRandom());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }
}
