package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.AgentWithProvider;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.TestAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 §1: the prompt's per-minute check runs before its body is read, so a prompt refused for
 * it costs no parsing — a body that would not even parse gets the 429, and its body was not read
 * (the signed echo has no body hash).
 */
class PromptChecksBeforeBodyIT {
  @RegisterExtension static final AgentWithProvider LLM = new AgentWithProvider();

  @Test
  void overThePerMinuteLimitAnUnparsableBodyIsA429WithoutBeingRead() {
    TestAgent agent = LLM.agent();
    LLM.provider().answers("openai-text.json");
    agent.operator().set("prompt_max_per_minute", "1").apply();
    assertThat(agent.prompt(PromptBody.ask("one")).status()).isEqualTo(200);

    TestAgent.Reply refused = agent.post("/api/v1/prompt", "{\"messages\": [ not json");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.errorCode()).isEqualTo("rate_limited");
    assertThat(refused.verifiedSigner().checksummed()).isEqualTo(agent.address());
    assertThat(refused.json().at("/request/body_hash").isNull()).isTrue();
    assertThat(LLM.provider().requests()).hasSize(1);
  }
}
