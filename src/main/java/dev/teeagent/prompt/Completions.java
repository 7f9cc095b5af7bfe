package dev.teeagent.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Checks that what the provider sent is a chat completion the agent can sign whole: one JSON
 * object, no duplicate keys, finite numbers, and at least one choice with a message. An {@code
 * error} object in its place (OpenRouter sends those with status 200) is the provider's failure.
 */
final class Completions {
  private Completions() {}

  static JsonNode parse(byte[] body, ApiKey key, ObjectMapper mapper) {
    JsonNode tree = parseObject(body, mapper);
    if (tree == null) {
      throw ProviderFailure.badAnswer("is not a JSON object");
    }
    rejectError(tree, key);
    requireChoices(tree);
    return tree;
  }

  /** One streamed chunk: a JSON object without an error, or null if it is not JSON. */
  static JsonNode parseChunk(String data, ApiKey key, ObjectMapper mapper) {
    JsonNode tree = parseObject(data.getBytes(java.nio.charset.StandardCharsets.UTF_8), mapper);
    if (tree == null) {
      throw ProviderFailure.badAnswer("has an event that is not a JSON object");
    }
    rejectError(tree, key);
    return tree;
  }

  static void requireChoices(JsonNode completion) {
    JsonNode first = completion.path("choices").path(0);
    if (!first.path("message").isObject()) {
      throw ProviderFailure.badAnswer("has no choice with a message");
    }
  }

  private static void rejectError(JsonNode tree, ApiKey key) {
    JsonNode error = tree.get("error");
    if (error != null && error.isObject()) {
      throw ProviderFailure.inBody(error, key);
    }
  }

  private static JsonNode parseObject(byte[] body, ObjectMapper mapper) {
    try {
      JsonNode tree = mapper.readTree(body);
      return tree != null && tree.isObject() && allFinite(tree) ? tree : null;
    } catch (IOException notJson) {
      return null;
    }
  }

  /** 1e999 parses as infinity, which no canonical JSON can carry. */
  private static boolean allFinite(JsonNode node) {
    if (node.isFloatingPointNumber()) {
      return Double.isFinite(node.doubleValue());
    }
    for (JsonNode child : node) {
      if (!allFinite(child)) {
        return false;
      }
    }
    return true;
  }
}
