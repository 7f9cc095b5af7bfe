package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.config.PromptSettings;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.InFlightCalls;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.TestAgent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The operator's key is protected: a per-minute limit for everyone, and a bound on calls. */
class PromptLimitsIT {
  @Test
  void beyondPromptMaxPerMinuteTheAgentAnswers429WithRetryAfterAndCallsNobody() {
    try (FakeLlmProvider provider = FakeLlmProvider.start();
        TestAgent agent = TestAgent.start()) {
      provider.configure(agent);
      agent.operator().set("prompt_max_per_minute", "3").apply();
      provider.answers("openai-text.json");
      for (int i = 0; i < 3; i++) {
        assertThat(agent.prompt(PromptBody.ask("hi " + i)).status()).isEqualTo(200);
      }
      TestAgent.Reply limited = agent.prompt(PromptBody.ask("one too many"));
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.errorCode()).isEqualTo("rate_limited");
      assertThat(limited.verifiedSigner().checksummed()).isEqualTo(agent.address());
      assertThat(limited.json().at("/error/message").asText()).contains("at most 3 prompts");
      assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
      assertThat(provider.requests()).hasSize(3);

      // A malformed prompt does not count, and raising the limit applies at once.
      agent.operator().set("prompt_max_per_minute", "4").apply();
      assertThat(agent.post("/api/v1/prompt", "{\"messages\":[]}").status()).isEqualTo(400);
      assertThat(agent.prompt(PromptBody.ask("fourth")).status()).isEqualTo(200);
      assertThat(agent.prompt(PromptBody.ask("fifth")).status()).isEqualTo(429);
    }
  }

  /** Two prompts in flight at most, no retries. */
  private static final PromptSettings TWO_AT_A_TIME =
      new PromptSettings(
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          2,
          0,
          Duration.ofSeconds(1));

  @Test
  void beyondTheConcurrencyBoundASlowProviderGets503LlmBusyInsteadOfMoreThreads() {
    try (FakeLlmProvider provider = FakeLlmProvider.start();
        TestAgent agent = TestAgent.start(TWO_AT_A_TIME)) {
      provider.configure(agent);
      List<CompletableFuture<TestAgent.Reply>> slow = fillBothSlots(provider, agent);

      TestAgent.Reply busy = agent.prompt(PromptBody.ask("three"));
      assertThat(busy.status()).isEqualTo(503);
      assertThat(busy.errorCode()).isEqualTo("llm_busy");
      assertThat(busy.header("Retry-After")).isEqualTo("1");
      assertThat(busy.verifiedSigner().checksummed()).isEqualTo(agent.address());

      assertThat(slow).allSatisfy(reply -> assertThat(reply.join().status()).isEqualTo(200));
      InFlightCalls.awaitNone(5_000);
      assertThat(agent.prompt(PromptBody.ask("after")).status()).isEqualTo(200);
      assertThat(provider.requests()).hasSize(3);
    }
  }

  @Test
  void aPromptRefusedAsBusyDoesNotUseUpThePerMinuteLimit() {
    try (FakeLlmProvider provider = FakeLlmProvider.start();
        TestAgent agent = TestAgent.start(TWO_AT_A_TIME)) {
      provider.configure(agent);
      agent.operator().set("prompt_max_per_minute", "3").apply();
      List<CompletableFuture<TestAgent.Reply>> slow = fillBothSlots(provider, agent);
      for (int i = 0; i < 3; i++) {
        assertThat(agent.prompt(PromptBody.ask("busy " + i)).errorCode()).isEqualTo("llm_busy");
      }
      assertThat(slow).allSatisfy(reply -> assertThat(reply.join().status()).isEqualTo(200));
      InFlightCalls.awaitNone(5_000);

      // Two prompts were admitted in this minute, so the third still is; the fourth is not.
      assertThat(agent.prompt(PromptBody.ask("third")).status()).isEqualTo(200);
      assertThat(agent.prompt(PromptBody.ask("fourth")).errorCode()).isEqualTo("rate_limited");
      assertThat(provider.requests()).hasSize(3);
    }
  }

  /** Two prompts the provider answers after 1.5 s, both in flight when this returns. */
  private static List<CompletableFuture<TestAgent.Reply>> fillBothSlots(
      FakeLlmProvider provider, TestAgent agent) {
    provider.answers(
        FakeLlmProvider.json(FakeLlmProvider.fixture("openai-text.json")).withFixedDelay(1_500));
    List<CompletableFuture<TestAgent.Reply>> slow =
        List.of(
            CompletableFuture.supplyAsync(() -> agent.prompt(PromptBody.ask("one"))),
            CompletableFuture.supplyAsync(() -> agent.prompt(PromptBody.ask("two"))));
    awaitRequests(provider, 2);
    return slow;
  }

  private static void awaitRequests(FakeLlmProvider provider, int count) {
    long deadline = System.currentTimeMillis() + 5_000;
    while (provider.requests().size() < count) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the provider never got " + count + " requests");
      }
      Thread.onSpinWait();
    }
  }
}
