package dev.teeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.teeagent.config.PromptSettings;
import dev.teeagent.testing.AgentWithProvider;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.LogCapture;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.TestAgent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stop (what SIGTERM's shutdown hook calls) while a request is still running past the server's
 * drain timeout: the timeout no longer escapes App.close(), and the rest is still closed.
 */
class AppShutdownIT {
  private static final PromptSettings SLOW =
      new PromptSettings(
          Duration.ofSeconds(1),
          Duration.ofSeconds(90),
          Duration.ofSeconds(90),
          4,
          0,
          Duration.ofSeconds(1));

  @RegisterExtension static final AgentWithProvider LLM = new AgentWithProvider(SLOW);

  // The provider answers 5 s after the server's 30 s drain has given up.
  @Test
  void closingWhileAPromptOutlivesTheDrainReturnsLogsAndStopsListening() throws Exception {
    FakeLlmProvider provider = LLM.provider();
    TestAgent agent = LLM.agent();
    int port = Integer.parseInt(agent.baseUrl().substring(agent.baseUrl().lastIndexOf(':') + 1));
    provider.answers(
        FakeLlmProvider.json(FakeLlmProvider.fixture("openai-text.json")).withFixedDelay(35_000));
    CompletableFuture<Object> prompt =
        CompletableFuture.supplyAsync(() -> agent.prompt(PromptBody.ask("slow, please")));
    while (provider.requests().isEmpty()) {
      assertThat(prompt).isNotDone();
      Thread.sleep(20);
    }
    try (LogCapture log = LogCapture.agentAtTrace()) {
      assertThatCode(agent::close).doesNotThrowAnyException();
      assertThat(log.lines()).anyMatch(line -> line.contains("stopping the HTTP server failed"));
    }
    // The running prompt ends (its connection closed) rather than holding the process.
    assertThat(prompt).failsWithin(30, TimeUnit.SECONDS);
    assertThatCode(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
        .isInstanceOf(IOException.class);
  }
}
