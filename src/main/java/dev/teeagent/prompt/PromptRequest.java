package dev.teeagent.prompt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /prompt} (DESIGN §4): the seed's fields plus an allow-list of sampling
 * fields passed through to the provider. Anything else is refused by the strict parser, because a
 * field passed through unseen could change the answer. Defaults: {@code max_tokens} 350 (or the
 * operator's {@code llm_max_tokens} when lower, see {@link #maxTokensOr}), {@code tool_choice}
 * "auto" when tools are given.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptRequest(
    String model,
    String systemPrompt,
    List<ChatMessage> messages,
    List<FunctionTool> tools,
    JsonNode toolChoice,
    Integer maxTokens,
    Double temperature,
    Double topP,
    JsonNode stop,
    Long seed,
    JsonNode responseFormat,
    Double frequencyPenalty,
    Double presencePenalty,
    Boolean parallelToolCalls,
    Boolean stream) {
  public static final int DEFAULT_MAX_TOKENS = 350;
  static final int MAX_MESSAGES = 4096;
  static final int MAX_TOOLS = 128;
  private static final Set<String> CHOICES = Set.of("auto", "none", "required");
  private static final Set<String> FORMATS = Set.of("text", "json_object", "json_schema");
  private static final long MAX_SEED = 1L << 53;

  public PromptRequest {
    if (model != null && !model.matches("[\\x21-\\x7e]{1,256}")) {
      throw BadPrompt.invalid("model must be 1 to 256 printable ASCII characters, no spaces");
    }
    if (systemPrompt != null && systemPrompt.isEmpty()) {
      throw BadPrompt.invalid("system_prompt must not be empty (leave it out instead)");
    }
    if (messages == null) {
      throw BadPrompt.missing("messages");
    }
    if (messages.isEmpty() || messages.size() > MAX_MESSAGES || messages.contains(null)) {
      throw BadPrompt.invalid("messages must be an array of 1 to 4096 messages");
    }
    messages = List.copyOf(messages);
    if (tools != null) {
      tools = checkedTools(tools);
    }
    toolChoice = checkedToolChoice(toolChoice, tools);
    if (maxTokens != null && maxTokens < 1) {
      throw BadPrompt.invalid("max_tokens must be a positive integer");
    }
    BadPrompt.requireRange("temperature", temperature, 0, 2);
    BadPrompt.requireRange("top_p", topP, 0, 1);
    BadPrompt.requireRange("frequency_penalty", frequencyPenalty, -2, 2);
    BadPrompt.requireRange("presence_penalty", presencePenalty, -2, 2);
    if (seed != null && Math.abs(seed) > MAX_SEED) {
      throw BadPrompt.invalid("seed must be an integer within ±2^53");
    }
    stop = stop == null || stop.isNull() ? null : stop;
    checkStop(stop);
    responseFormat = responseFormat == null || responseFormat.isNull() ? null : responseFormat;
    checkResponseFormat(responseFormat);
    stream = Boolean.TRUE.equals(stream);
  }

  /**
   * The max_tokens sent: the client's, else the default bounded by the operator's {@code limit}.
   */
  int maxTokensOr(int limit) {
    return maxTokens != null ? maxTokens : Math.min(DEFAULT_MAX_TOKENS, limit);
  }

  private static List<FunctionTool> checkedTools(List<FunctionTool> tools) {
    if (tools.size() > MAX_TOOLS || tools.contains(null)) {
      throw BadPrompt.invalid("tools must be an array of at most 128 function tools");
    }
    Set<String> names = new HashSet<>();
    for (FunctionTool tool : tools) {
      if (!names.add(tool.function().name())) {
        throw BadPrompt.invalid("tools: function name '" + tool.function().name() + "' repeats");
      }
    }
    return tools.isEmpty() ? null : List.copyOf(tools);
  }

  private static JsonNode checkedToolChoice(JsonNode choice, List<FunctionTool> tools) {
    if (choice == null || choice.isNull()) {
      return tools == null ? null : TextNode.valueOf("auto");
    }
    if (tools == null) {
      throw BadPrompt.invalid("tool_choice needs tools");
    }
    if (choice.isTextual() && CHOICES.contains(choice.textValue())) {
      return choice;
    }
    boolean named =
        choice.isObject()
            && choice.size() == 2
            && "function".equals(choice.path("type").textValue())
            && choice.path("function").isObject()
            && choice.path("function").size() == 1
            && choice.path("function").path("name").isTextual();
    if (!named) {
      throw BadPrompt.invalid(
          "tool_choice must be \"auto\", \"none\", \"required\" or"
              + " {\"type\": \"function\", \"function\": {\"name\": …}}");
    }
    String name = choice.path("function").path("name").textValue();
    if (tools.stream().noneMatch(tool -> tool.function().name().equals(name))) {
      throw BadPrompt.invalid("tool_choice names '" + name + "', which is not among the tools");
    }
    return choice;
  }

  private static void checkStop(JsonNode stop) {
    if (stop == null || (stop.isTextual() && !stop.textValue().isEmpty())) {
      return;
    }
    boolean list = stop.isArray() && !stop.isEmpty() && stop.size() <= 4;
    for (JsonNode item : stop) {
      list &= item.isTextual() && !item.textValue().isEmpty();
    }
    if (!list) {
      throw BadPrompt.invalid("stop must be a string or an array of 1 to 4 strings");
    }
  }

  private static void checkResponseFormat(JsonNode format) {
    if (format == null) {
      return;
    }
    if (!format.isObject() || !FORMATS.contains(format.path("type").textValue())) {
      throw BadPrompt.invalid(
          "response_format must be an object whose type is text, json_object or json_schema");
    }
    BadPrompt.requireSignable("response_format", format);
  }
}
