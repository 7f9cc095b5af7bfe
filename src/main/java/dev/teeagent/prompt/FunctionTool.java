package dev.teeagent.prompt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** A tool the model may call: a function with a JSON-schema description of its parameters. */
public record FunctionTool(String type, Function function) {
  public FunctionTool {
    if (!"function".equals(type)) {
      throw type == null
          ? BadPrompt.missing("type")
          : BadPrompt.invalid("type must be \"function\"");
    }
    if (function == null) {
      throw BadPrompt.missing("function");
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Function(String name, String description, JsonNode parameters, Boolean strict) {
    public Function {
      BadPrompt.requireName("name", name);
      if (parameters != null && !parameters.isObject()) {
        throw BadPrompt.invalid("parameters must be a JSON schema object");
      }
      BadPrompt.requireSignable("parameters", parameters);
    }
  }
}
