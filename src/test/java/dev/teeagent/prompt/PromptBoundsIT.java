package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §5: an anonymous client spends the operator's key, so the operator bounds what it may
 * ask for — the model ({@code llm_model}, {@code llm_allowed_models}) and {@code max_tokens}
 * ({@code llm_max_tokens}, 4096 by default) — and nothing past a bound reaches the provider.
 */
class PromptBoundsIT {
  private FakeLlmProvider provider;
  @StartedAgent private TestAgent agent;

  @BeforeEach
  void start() {
    provider = FakeLlmProvider.start();
    provider.answers("openai-text.json");
    provider.configure(agent);
    agent.operator().freeze("llm_model").apply();
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  private void refused(PromptBody prompt, String code, String says) {
    TestAgent.Reply reply = agent.prompt(prompt);
    assertThat(reply.status()).as(reply.text()).isEqualTo(403);
    assertThat(reply.errorCode()).isEqualTo(code);
    assertThat(reply.json().at("/error/message").asText()).isEqualTo(says);
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
  }

  @Test
  void theReviewersExpensiveModelAndMaximalMaxTokensReachNoProvider() {
    refused(
        PromptBody.ask("hi").model("openai/o1-pro"),
        "llm_model_not_allowed",
        "model openai/o1-pro is not allowed: the operator allows openai/gpt-4o-mini (llm_model,"
            + " and the list llm_allowed_models)");
    refused(
        PromptBody.ask("hi").with("max_tokens", Integer.MAX_VALUE),
        "llm_max_tokens_exceeded",
        "max_tokens 2147483647 is above llm_max_tokens 4096 (the operator's bound; 4096 when"
            + " unset)");
    assertThat(provider.requests()).isEmpty();

    TestAgent.Reply fine = agent.prompt(PromptBody.ask("hi").with("max_tokens", 4096));
    assertThat(fine.status()).as(fine.text()).isEqualTo(200);
    assertThat(FakeLlmProvider.bodyOf(provider.onlyRequest()).get("model").asText())
        .isEqualTo(FakeLlmProvider.MODEL);
  }

  @Test
  void theOperatorListsMoreModelsAndLowersMaxTokensWhichAlsoBoundsTheDefault() {
    agent
        .operator()
        .set("llm_allowed_models", "anthropic/claude-3.5-haiku,openai/gpt-4o")
        .set("llm_max_tokens", "100")
        .apply();
    refused(
        PromptBody.ask("hi").model("openai/o1-pro"),
        "llm_model_not_allowed",
        "model openai/o1-pro is not allowed: the operator allows anthropic/claude-3.5-haiku,"
            + " openai/gpt-4o, openai/gpt-4o-mini (llm_model, and the list llm_allowed_models)");
    refused(
        PromptBody.ask("hi").with("max_tokens", 101),
        "llm_max_tokens_exceeded",
        "max_tokens 101 is above llm_max_tokens 100 (the operator's bound; 4096 when unset)");

    TestAgent.Reply listed = agent.prompt(PromptBody.ask("hi").model("openai/gpt-4o"));
    assertThat(listed.status()).as(listed.text()).isEqualTo(200);
    assertThat(listed.json().get("parameters").get("max_tokens").asInt()).isEqualTo(100);
    var sent = FakeLlmProvider.bodyOf(provider.onlyRequest());
    assertThat(sent.get("model").asText()).isEqualTo("openai/gpt-4o");
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(100);
  }

  @Test
  void theBoundsArePublishedNeverHiddenAndCheckedWhenSet() {
    TestAgent.Reply hidden = agent.operator().setHidden("llm_allowed_models", "m").send();
    assertThat(hidden.status()).as(hidden.text()).isEqualTo(409);
    assertThat(hidden.errorCode()).isEqualTo("cannot_hide_public");
    TestAgent.Reply hiddenMax = agent.operator().setHidden("llm_max_tokens", "10").send();
    assertThat(hiddenMax.errorCode()).isEqualTo("cannot_hide_public");
    TestAgent.Reply spaced = agent.operator().set("llm_allowed_models", "a, b").send();
    assertThat(spaced.status()).isEqualTo(400);
    assertThat(spaced.errorCode()).isEqualTo("invalid_value");
    TestAgent.Reply huge = agent.operator().set("llm_max_tokens", "2147483647").send();
    assertThat(huge.status()).isEqualTo(400);
    assertThat(huge.json().at("/error/message").asText()).contains("from 1 to 1000000");

    agent.operator().set("llm_max_tokens", "512").freeze("llm_max_tokens").apply();
    assertThat(agent.get("/api/v1/variables/llm_max_tokens").json().at("/variable/value").asText())
        .isEqualTo("512");
  }

  /**
   * Issue 12 §1: a base URL with a query used to be accepted and frozen, after which every prompt
   * answered 503 for the rest of the boot. Now set refuses it, and prompts keep working.
   */
  @Test
  void aProviderUrlPromptsCouldNotUseIsRefusedWhenSetAndPromptsKeepWorking() {
    String withQuery = provider.baseUrl() + "?x=1";
    TestAgent.Reply frozen = agent.operator().setImmutable("llm_base_url", withQuery).send();
    assertThat(frozen.status()).as(frozen.text()).isEqualTo(400);
    assertThat(frozen.errorCode()).isEqualTo("invalid_value");
    assertThat(frozen.json().at("/error/message").asText())
        .startsWith("commands[0] (llm_base_url): the value must be an https URL")
        .endsWith("without user info, query or fragment");
    TestAgent.Reply header = agent.operator().set("llm_http_referer", "a\r\nX-Evil: 1").send();
    assertThat(header.errorCode()).isEqualTo("invalid_value");

    TestAgent.Reply answer = agent.prompt(PromptBody.ask("hi"));
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.json().get("provider").asText()).isEqualTo(provider.baseUrl());
  }
}
