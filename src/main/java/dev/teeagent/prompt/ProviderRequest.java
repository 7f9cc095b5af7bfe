package dev.teeagent.prompt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Jcs;
import dev.teeagent.crypto.Keccak;

/**
 * The exact body sent to the provider: the JCS canonical form of {@code {...parameters, model,
 * messages: [system_prompt as a system message] + messages, tools}}. Being canonical, it can be
 * rebuilt by anyone from the members of the signed answer and checked against {@code
 * provider_request_hash} = keccak256 of these bytes.
 */
record ProviderRequest(ArrayNode messages, ArrayNode tools, ObjectNode parameters, byte[] body) {

  /** What is passed to the provider besides model, messages and tools; absent fields omitted. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Parameters(
      Integer maxTokens,
      JsonNode toolChoice,
      Double temperature,
      Double topP,
      JsonNode stop,
      Long seed,
      JsonNode responseFormat,
      Double frequencyPenalty,
      Double presencePenalty,
      Boolean parallelToolCalls,
      Boolean stream,
      StreamOptions streamOptions) {}

  /** Asks the provider for token usage in the last chunk of a stream. */
  record StreamOptions(boolean includeUsage) {}

  static ProviderRequest build(PromptRequest request, String model, ObjectMapper mapper) {
    ArrayNode messages = mapper.valueToTree(request.messages());
    ArrayNode tools = request.tools() == null ? null : mapper.valueToTree(request.tools());
    boolean stream = request.stream();
    ObjectNode parameters =
        mapper.valueToTree(
            new Parameters(
                request.maxTokens(),
                request.toolChoice(),
                request.temperature(),
                request.topP(),
                request.stop(),
                request.seed(),
                request.responseFormat(),
                request.frequencyPenalty(),
                request.presencePenalty(),
                request.parallelToolCalls(),
                stream ? Boolean.TRUE : null,
                stream ? new StreamOptions(true) : null));
    ObjectNode upstream = parameters.deepCopy();
    upstream.put("model", model);
    ArrayNode all = upstream.putArray("messages");
    if (request.systemPrompt() != null) {
      all.addObject().put("role", "system").put("content", request.systemPrompt());
    }
    all.addAll(messages.deepCopy());
    if (tools != null) {
      upstream.set("tools", tools.deepCopy());
    }
    try {
      return new ProviderRequest(
          messages, tools, parameters, Jcs.canonicalize(mapper.writeValueAsString(upstream)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("prompt is not serializable", e);
    }
  }

  /** 0x + keccak256 of the body bytes. */
  String hash() {
    return Keccak.hashHex(body);
  }
}
