package dev.teeagent.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Well-formed Unicode for what the agent signs. A lone UTF-16 surrogate has no UTF-8 encoding:
 * Java's encoder writes '?' for it and JavaScript's verifiers refuse or replace it, so a signed
 * text holding one would not verify anywhere (DESIGN §9). Requests holding one are refused ({@link
 * RequestJson}); text from upstreams (an LLM provider) is repaired here, in one place, before it is
 * signed: each lone surrogate becomes U+FFFD.
 */
public final class WellFormed {
  private WellFormed() {}

  public static boolean hasLoneSurrogate(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** Replaces each lone surrogate by U+FFFD, leaving pairs and everything else as they are. */
  public static String replaceLoneSurrogates(String text) {
    if (!hasLoneSurrogate(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

  /** Replaces lone surrogates in every string and member name of {@code tree}, in place. */
  public static void repair(JsonNode tree) {
    if (tree instanceof ObjectNode object) {
      List<String> bad = null; // allocated only when a name needs repair
      for (Map.Entry<String, JsonNode> member : object.properties()) {
        repairMember(object, member.getKey(), member.getValue());
        if (hasLoneSurrogate(member.getKey())) {
          bad = bad == null ? new ArrayList<>() : bad;
          bad.add(member.getKey());
        }
      }
      for (String name : bad == null ? List.<String>of() : bad) {
        object.set(replaceLoneSurrogates(name), object.remove(name));
      }
    } else if (tree instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode item = array.get(i);
        if (item.isTextual() && hasLoneSurrogate(item.textValue())) {
          array.set(i, TextNode.valueOf(replaceLoneSurrogates(item.textValue())));
        } else {
          repair(item);
        }
      }
    }
  }

  private static void repairMember(ObjectNode object, String name, JsonNode value) {
    if (value.isTextual() && hasLoneSurrogate(value.textValue())) {
      object.put(name, replaceLoneSurrogates(value.textValue()));
    } else {
      repair(value);
    }
  }
}
