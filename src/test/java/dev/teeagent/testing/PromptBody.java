package dev.teeagent.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.json.JsonMappers;

/** Builds {@code POST /prompt} bodies: {@code PromptBody.ask("…").system("…").weatherTool()}. */
public final class PromptBody {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private final ObjectNode body = MAPPER.createObjectNode();

  private PromptBody() {}

  /** One user message. */
  public static PromptBody ask(String question) {
    PromptBody prompt = new PromptBody();
    prompt.messages().addObject().put("role", "user").put("content", question);
    return prompt;
  }

  public ArrayNode messages() {
    return body.withArray("messages");
  }

  public PromptBody system(String prompt) {
    body.put("system_prompt", prompt);
    return this;
  }

  public PromptBody model(String model) {
    body.put("model", model);
    return this;
  }

  /** The seed's example tool: get_weather(location, unit). */
  public PromptBody weatherTool() {
    body.withArray("tools").add(weatherToolJson());
    return this;
  }

  public static ObjectNode weatherToolJson() {
    ObjectNode tool = MAPPER.createObjectNode().put("type", "function");
    ObjectNode function =
        tool.putObject("function")
            .put("name", "get_weather")
            .put("description", "Get the current weather in a given location");
    ObjectNode parameters = function.putObject("parameters").put("type", "object");
    ObjectNode properties = parameters.putObject("properties");
    properties
        .putObject("location")
        .put("type", "string")
        .put("description", "The city and country, e.g. Paris, France");
    properties
        .putObject("unit")
        .put("type", "string")
        .putArray("enum")
        .add("celsius")
        .add("fahrenheit");
    parameters.putArray("required").add("location");
    return tool;
  }

  /** Sets any member, for pass-through fields and malformed bodies. */
  public PromptBody with(String name, JsonNode value) {
    body.set(name, value);
    return this;
  }

  public PromptBody with(String name, String value) {
    body.put(name, value);
    return this;
  }

  public PromptBody with(String name, int value) {
    body.put(name, value);
    return this;
  }

  public PromptBody with(String name, long value) {
    body.put(name, value);
    return this;
  }

  public PromptBody with(String name, double value) {
    body.put(name, value);
    return this;
  }

  public PromptBody with(String name, boolean value) {
    body.put(name, value);
    return this;
  }

  public PromptBody without(String name) {
    body.remove(name);
    return this;
  }

  public PromptBody streamed() {
    return with("stream", true);
  }

  public ObjectNode tree() {
    return body;
  }

  public String json() {
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
