package dev.teeagent.prompt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The signed answer to a prompt (DESIGN §4). {@code response} is the seed's shape (content and tool
 * calls of the first choice); {@code completion} is the provider's whole answer (id, choices with
 * finish reasons, usage); {@code messages}, {@code tools}, {@code system_prompt} and {@code
 * parameters} are what was asked, so that with {@code model} they rebuild the exact body sent to
 * {@code provider}, whose keccak256 is {@code provider_request_hash}. A streamed answer also has
 * {@code stream_hash}: keccak256 of every byte of the event stream relayed before the signed event.
 */
public record PromptAnswer(
    String model,
    AssistantReply response,
    JsonNode completion,
    JsonNode messages,
    JsonNode tools,
    String systemPrompt,
    JsonNode parameters,
    String provider,
    String providerRequestHash,
    @JsonInclude(JsonInclude.Include.NON_NULL) String streamHash) {

  /** The first choice's message: text (or null) and the tools it calls (or null). */
  public record AssistantReply(JsonNode content, JsonNode toolCalls) {}

  static PromptAnswer of(
      String model,
      JsonNode completion,
      PromptRequest request,
      ProviderRequest sent,
      String provider,
      String streamHash) {
    JsonNode message = completion.path("choices").path(0).path("message");
    return new PromptAnswer(
        model,
        new AssistantReply(present(message.get("content")), present(message.get("tool_calls"))),
        completion,
        sent.messages(),
        sent.tools(),
        request.systemPrompt(),
        sent.parameters(),
        provider,
        sent.hash(),
        streamHash);
  }

  private static JsonNode present(JsonNode node) {
    return node == null || node.isNull() ? null : node;
  }
}
