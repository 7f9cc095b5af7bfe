package dev.teeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.prompt.ChatCompletionsClient;
import dev.teeagent.prompt.PromptService;
import dev.teeagent.variables.AgentState;
import java.time.Clock;

/** Wires prompts: the service that reads its variables and calls the LLM provider's client. */
final class PromptWiring {
  private PromptWiring() {}

  static PromptService service(
      AgentSettings settings,
      AgentState state,
      ChatCompletionsClient client,
      ObjectMapper mapper,
      Clock clock) {
    return new PromptService(state, client, mapper, clock, settings.prompt().maxConcurrent());
  }
}
