package dev.teeagent.prompt;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A tool call made by the assistant in an earlier turn, sent back in the conversation. {@code
 * index} (OpenRouter puts it in its answers, so it comes back in {@code response.tool_calls}) is
 * accepted and not sent on: it only numbers calls within one answer.
 */
public record ToolCall(
    String id,
    String type,
    FunctionCall function,
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) Integer index) {
  public ToolCall {
    if (id == null || id.isEmpty() || id.length() > 256) {
      throw id == null ? BadPrompt.missing("id") : BadPrompt.invalid("id must be 1 to 256 chars");
    }
    if (!"function".equals(type)) {
      throw BadPrompt.invalid("type must be \"function\"");
    }
    if (function == null) {
      throw BadPrompt.missing("function");
    }
  }

  /** The function called and its arguments, a JSON text as the model wrote it. */
  public record FunctionCall(String name, String arguments) {
    public FunctionCall {
      BadPrompt.requireName("name", name);
      if (arguments == null) {
        throw BadPrompt.missing("arguments");
      }
    }
  }
}
