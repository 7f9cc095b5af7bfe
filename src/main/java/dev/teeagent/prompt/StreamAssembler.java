package dev.teeagent.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds from the chunks of a streamed chat completion the answer the provider would have given
 * unstreamed: top-level members (id, model, created…) from the chunks, {@code object}
 * "chat.completion", one choice per index whose {@code message} joins the deltas (text appended,
 * tool calls merged by index with their arguments appended), finish reasons, and the usage of the
 * last chunk.
 */
final class StreamAssembler {
  /** Delta members that are set once, never appended to. */
  private static final Set<String> SET_ONCE = Set.of("role");

  private final ObjectMapper mapper;
  private final ObjectNode top;
  private final Map<Integer, Choice> choices = new TreeMap<>();

  /**
   * Text being appended, per node and member. A stream may bring many thousands of deltas, so the
   * text grows in builders and is written into the nodes once, by {@link #completion()}: linear,
   * not quadratic, in the length of the answer.
   */
  private final IdentityHashMap<ObjectNode, Map<String, StringBuilder>> appended =
      new IdentityHashMap<>();

  private record Choice(
      ObjectNode node, ObjectNode message, NavigableMap<Integer, ObjectNode> toolCalls) {}

  StreamAssembler(ObjectMapper mapper) {
    this.mapper = mapper;
    this.top = mapper.createObjectNode();
  }

  void add(JsonNode chunk) {
    for (Map.Entry<String, JsonNode> member : chunk.properties()) {
      switch (member.getKey()) {
        case "choices", "object" -> {}
        default -> {
          if (!member.getValue().isNull() || !top.has(member.getKey())) {
            top.set(member.getKey(), member.getValue());
          }
        }
      }
    }
    for (JsonNode delta : chunk.path("choices")) {
      int index = delta.path("index").asInt(0);
      Choice choice = choices.computeIfAbsent(index, this::newChoice);
      for (Map.Entry<String, JsonNode> member : delta.properties()) {
        switch (member.getKey()) {
          case "index" -> {}
          case "delta" -> addDelta(choice, member.getValue());
          default -> merge(choice.node(), member.getKey(), member.getValue(), false);
        }
      }
    }
  }

  /** True when every choice has a finish reason (a stream may end without "[DONE]"). */
  boolean finished() {
    return !choices.isEmpty()
        && choices.values().stream()
            .allMatch(choice -> choice.node().path("finish_reason").isTextual());
  }

  ObjectNode completion() {
    appended.forEach(
        (node, members) -> members.forEach((name, text) -> node.put(name, text.toString())));
    ObjectNode completion = top.deepCopy();
    completion.put("object", "chat.completion");
    ArrayNode list = completion.putArray("choices");
    for (Choice choice : choices.values()) {
      if (!choice.toolCalls().isEmpty()) {
        ArrayNode calls = choice.message().putArray("tool_calls");
        choice.toolCalls().values().forEach(calls::add);
      }
      list.add(choice.node());
    }
    return completion;
  }

  private Choice newChoice(int index) {
    ObjectNode node = mapper.createObjectNode();
    node.put("index", index);
    ObjectNode message = node.putObject("message");
    message.put("role", "assistant");
    message.putNull("content");
    node.putNull("finish_reason");
    return new Choice(node, message, new TreeMap<>());
  }

  private void addDelta(Choice choice, JsonNode delta) {
    for (Map.Entry<String, JsonNode> member : delta.properties()) {
      if (member.getKey().equals("tool_calls")) {
        member.getValue().forEach(call -> addToolCall(choice.toolCalls(), call));
      } else {
        merge(choice.message(), member.getKey(), member.getValue(), true);
      }
    }
  }

  private void addToolCall(NavigableMap<Integer, ObjectNode> calls, JsonNode delta) {
    int index;
    if (delta.has("index")) {
      index = delta.path("index").asInt();
    } else {
      // No index (some providers): a new id starts a new call, otherwise it continues the last.
      String id = delta.path("id").asText("");
      boolean fresh =
          calls.isEmpty()
              || (!id.isEmpty() && !id.equals(calls.lastEntry().getValue().path("id").asText()));
      index = fresh ? (calls.isEmpty() ? 0 : calls.lastKey() + 1) : calls.lastKey();
    }
    ObjectNode call =
        calls.computeIfAbsent(
            index,
            i -> {
              ObjectNode node = mapper.createObjectNode();
              node.put("type", "function");
              node.putObject("function").put("arguments", "");
              return node;
            });
    setIfPresent(call, "id", delta.get("id"));
    setIfPresent(call, "type", delta.get("type"));
    ObjectNode function = (ObjectNode) call.get("function");
    JsonNode part = delta.path("function");
    if (!function.has("name")) {
      setIfPresent(function, "name", part.get("name"));
    }
    if (part.path("arguments").isTextual()) {
      append(function, "arguments", part.path("arguments").textValue());
    }
  }

  private static void setIfPresent(ObjectNode node, String name, JsonNode value) {
    if (value != null && !value.isNull()) {
      node.set(name, value);
    }
  }

  private void append(ObjectNode target, String name, String text) {
    appended
        .computeIfAbsent(target, node -> new HashMap<>())
        .computeIfAbsent(name, member -> new StringBuilder(target.path(member).asText("")))
        .append(text);
  }

  /** Text appends (in deltas), arrays append, objects merge, other values replace; null never. */
  private void merge(ObjectNode target, String name, JsonNode value, boolean inDelta) {
    JsonNode current = target.get(name);
    if (value.isNull()) {
      if (current == null) {
        target.putNull(name);
      }
      return;
    }
    if (inDelta && value.isTextual() && current != null && current.isTextual()) {
      if (!SET_ONCE.contains(name)) {
        append(target, name, value.textValue());
      }
    } else if (value.isArray() && current != null && current.isArray()) {
      ((ArrayNode) current).addAll((ArrayNode) value);
    } else if (value.isObject() && current != null && current.isObject()) {
      value.properties().forEach(e -> merge((ObjectNode) current, e.getKey(), e.getValue(), false));
    } else {
      target.set(name, value.deepCopy());
      // A replaced member drops whatever text was being appended to it.
      Map<String, StringBuilder> texts = appended.get(target);
      if (texts != null) {
        texts.remove(name);
      }
    }
  }
}
