package dev.teeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.prompt.ChatCompletionsClient;
import dev.teeagent.prompt.PromptService;
import dev.teeagent.variables.AgentState;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/** Wires prompts: the LLM provider's client and the service that reads its variables. */
final class PromptWiring {
  private PromptWiring() {}

  /**
   * The client loads the TLS stack and the CA certificates, a good part of the start that depends
   * on nothing else: made on another core meanwhile, and closed with the agent.
   */
  static CompletableFuture<ChatCompletionsClient> client(
      AgentSettings settings,
      ObjectMapper mapper,
      String version,
      Clock clock,
      OpenedParts opened) {
    return opened.add(
        "the LLM client",
        CompletableFuture.supplyAsync(
            () -> ChatCompletionsClient.create(settings.prompt(), mapper, version, clock)));
  }

  static PromptService service(
      AgentSettings settings,
      AgentState state,
      ChatCompletionsClient client,
      ObjectMapper mapper,
      Clock clock) {
    return new PromptService(state, client, mapper, clock, settings.prompt().maxConcurrent());
  }
}
