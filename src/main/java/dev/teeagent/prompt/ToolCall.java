package dev.teeagent.prompt;

/** A tool call made by the assistant in an earlier turn, sent back in the conversation. */
public record ToolCall(String id, String type, FunctionCall function) {
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
