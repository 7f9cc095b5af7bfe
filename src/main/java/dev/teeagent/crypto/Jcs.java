package dev.teeagent.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.erdtman.jcs.NumberToJSON;

/**
 * RFC 8785 JSON Canonicalization Scheme, written over Jackson's tree. Numbers go through the
 * reference implementation's ES6 number formatting ({@link NumberToJSON}); the rest of the scheme —
 * members sorted by UTF-16 code units, strings escaped as ECMAScript's JSON.stringify does, no
 * whitespace — is a walk of the tree. The reference implementation's own canonicalizer re-parses
 * the text with a parser that builds strings one character at a time, which made it half the cost
 * of every signed answer; the tests keep it as the oracle this class must equal.
 */
public final class Jcs {
  private static final JsonMapper PARSER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Jcs() {}

  /** The canonical UTF-8 bytes of a JSON text (duplicate keys are refused). */
  public static byte[] canonicalize(String json) {
    try {
      return canonicalize(PARSER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not canonicalizable JSON", e);
    }
  }

  /** The canonical UTF-8 bytes of a JSON tree. */
  public static byte[] canonicalize(JsonNode tree) {
    StringBuilder out = new StringBuilder(1024);
    write(tree, out);
    return Utf8.strict(out.toString());
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        // String.compareTo orders by UTF-16 code units, exactly as RFC 8785 §3.2.3 sorts.
        Collections.sort(names);
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          writeString(names.get(i), out);
          out.append(':');
          write(node.get(names.get(i)), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), out);
      // JCS reads every number as an IEEE double, integers included.
      case NUMBER -> out.append(number(node.doubleValue()));
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      default -> throw new IllegalArgumentException("not JSON: " + node.getNodeType());
    }
  }

  private static String number(double value) {
    try {
      return NumberToJSON.serializeNumber(value);
    } catch (IOException notFinite) {
      throw new IllegalArgumentException("JSON has no NaN or infinity", notFinite);
    }
  }

  /** As ECMAScript's QuoteJSONString: the short escapes, \\u00xx below 0x20, lone surrogates. */
  private static void writeString(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || isLoneSurrogate(text, i)) {
            out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]);
            out.append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isLoneSurrogate(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    return false;
  }
}
