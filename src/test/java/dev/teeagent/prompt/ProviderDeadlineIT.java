package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.config.PromptSettings;
import dev.teeagent.testing.DrippingHost;
import dev.teeagent.testing.TestAgent;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A provider (or the host in between) that sends headers and then drips the body: the agent's
 * prompt ends at its overall deadline with a signed 504, never holding the request forever.
 */
class ProviderDeadlineIT {
  @Test
  @Timeout(60)
  void aDrippedProviderAnswerEndsAtTheDeadlineWithASigned504() throws Exception {
    PromptSettings quick =
        new PromptSettings(
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            4,
            0,
            Duration.ofSeconds(1));
    try (DrippingHost host = new DrippingHost();
        TestAgent agent = TestAgent.start(quick)) {
      agent
          .operator()
          .setHidden("llm_api_key", "sk-drip")
          .set("llm_base_url", host.url() + "/v1")
          .set("llm_model", "drip/model")
          .apply();
      TestAgent.Reply reply =
          agent.post(
              "/api/v1/prompt", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
      assertThat(reply.status()).as(reply.text()).isEqualTo(504);
      assertThat(reply.errorCode()).isEqualTo("llm_timeout");
      assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    }
  }
}
