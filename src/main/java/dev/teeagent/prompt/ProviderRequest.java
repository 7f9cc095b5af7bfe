package dev.teeagent.prompt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Jcs;
import dev.teeagent.crypto.Keccak;
import java.util.List;

/**
 * The exact body sent to the provider: the JCS canonical form of {@code {...parameters, model,
 * messages: [system_prompt as a system message] + messages, tools}}. Being canonical, it can be
 * rebuilt by anyone from the members of the signed answer and checked against {@code
 * provider_request_hash} = keccak256 of these bytes.
 */
record ProviderRequest(ArrayNode messages, ArrayNode tools, ObjectNode parameters, byte[] body) {

  /** Members of the request that are not passed on as parameters. */
  private static final List<String> NOT_PARAMETERS =
      List.of("model", "system_prompt", "messages", "tools", "stream");

  static ProviderRequest build(
      PromptRequest request, String model, int maxTokens, ObjectMapper mapper) {
    ArrayNode messages = mapper.valueToTree(request.messages());
    ArrayNode tools = request.tools() == null ? null : mapper.valueToTree(request.tools());
    // Every other member of the request (absent ones are left out), as the provider gets it.
    ObjectNode parameters = mapper.valueToTree(request);
    parameters.remove(NOT_PARAMETERS);
    parameters.put("max_tokens", maxTokens);
    if (request.stream()) {
      parameters.put("stream", true);
      parameters.putObject("stream_options").put("include_usage", true);
    }
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
