package dev.teeagent.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.util.Map;

/**
 * Makes a JSON tree safe to sign under JCS, which reads every number as an IEEE double: an integer
 * beyond ±2^53 (e.g. a wei amount inside an upstream's answer) would be silently rounded by any
 * verifier, so it becomes a decimal string before signing.
 */
public final class SafeNumbers {
  static final BigInteger MAX_SAFE = BigInteger.TWO.pow(53);

  private SafeNumbers() {}

  /** Rewrites, in place, every integral number beyond ±2^53 in {@code node} as a decimal string. */
  public static JsonNode makeSafe(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        JsonNode value = field.getValue();
        if (isUnsafeInteger(value)) {
          field.setValue(TextNode.valueOf(value.bigIntegerValue().toString()));
        } else {
          makeSafe(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode value = array.get(i);
        if (isUnsafeInteger(value)) {
          array.set(i, TextNode.valueOf(value.bigIntegerValue().toString()));
        } else {
          makeSafe(value);
        }
      }
    }
    return node;
  }

  /**
   * True when every number in {@code node} reads back unchanged under JCS: integers within ±2^53,
   * no infinite floats. Requests that will be echoed in a signed answer are checked with it.
   */
  public static boolean isSignable(JsonNode node) {
    if (node == null) {
      return true;
    }
    if (node.isNumber()) {
      return node.isIntegralNumber() ? !isUnsafeInteger(node) : Double.isFinite(node.asDouble());
    }
    for (JsonNode child : node) {
      if (!isSignable(child)) {
        return false;
      }
    }
    return true;
  }

  static boolean isUnsafeInteger(JsonNode node) {
    return node.isIntegralNumber() && node.bigIntegerValue().abs().compareTo(MAX_SAFE) > 0;
  }
}
