package dev.teeagent.prompt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * One message of the conversation, in OpenAI's chat format. {@code content} is text or an array of
 * content parts ({@code {"type": "text", …}}); it may be absent only on an assistant message that
 * calls tools or refuses. A {@code tool} message answers one tool call by its id. {@code refusal}
 * is allowed on assistant messages, as OpenAI's answers carry it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(
    String role,
    JsonNode content,
    String name,
    List<ToolCall> toolCalls,
    String toolCallId,
    String refusal) {
  static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

  public ChatMessage {
    if (role == null) {
      throw BadPrompt.missing("role");
    }
    if (!ROLES.contains(role)) {
      throw BadPrompt.invalid("role must be one of system, user, assistant, tool");
    }
    content = content == null || content.isNull() ? null : content;
    if (toolCalls != null) {
      if (!role.equals("assistant")) {
        throw BadPrompt.invalid("tool_calls are allowed on assistant messages only");
      }
      if (toolCalls.isEmpty() || toolCalls.contains(null)) {
        throw BadPrompt.invalid("tool_calls must be a non-empty array of tool calls");
      }
      toolCalls = List.copyOf(toolCalls);
    }
    if (refusal != null && !role.equals("assistant")) {
      throw BadPrompt.invalid("refusal is allowed on assistant messages only");
    }
    if (content == null && toolCalls == null && refusal == null) {
      throw BadPrompt.missing("content");
    }
    if (content != null) {
      requireContent(content);
    }
    if (name != null) {
      BadPrompt.requireName("name", name);
    }
    if (role.equals("tool") != (toolCallId != null)) {
      throw role.equals("tool")
          ? BadPrompt.missing("tool_call_id")
          : BadPrompt.invalid("tool_call_id is allowed on tool messages only");
    }
    if (toolCallId != null && (toolCallId.isEmpty() || toolCallId.length() > 256)) {
      throw BadPrompt.invalid("tool_call_id must be 1 to 256 characters");
    }
  }

  private static void requireContent(JsonNode content) {
    if (content.isTextual()) {
      return;
    }
    if (!content.isArray() || content.isEmpty()) {
      throw BadPrompt.invalid("content must be a string or a non-empty array of content parts");
    }
    for (JsonNode part : content) {
      if (!part.isObject() || !part.path("type").isTextual()) {
        throw BadPrompt.invalid("each content part must be an object with a string \"type\"");
      }
    }
    BadPrompt.requireSignable("content", content);
  }
}
