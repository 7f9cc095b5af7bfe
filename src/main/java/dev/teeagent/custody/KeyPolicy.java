package dev.teeagent.custody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.json.UntrustedText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A KMS key policy as far as custody needs it: its statements' effect, actions (IAM patterns,
 * case-insensitive, {@code *} and {@code ?}) and conditions. Principals and resources are not read:
 * credentials are untrusted, so a lock must hold whoever asks. Anything malformed is refused with a
 * sentence naming the statement.
 */
public record KeyPolicy(List<Statement> statements) {
  private static final ObjectMapper JSON = JsonMappers.strict();

  /**
   * One statement.
   *
   * @param name "statement N (Sid)", for reasons
   * @param allow Effect Allow (else Deny)
   * @param actions the Action or NotAction patterns
   * @param notAction whether {@code actions} are NotAction
   * @param conditions operator → condition key → values, keys as written
   */
  public record Statement(
      String name,
      boolean allow,
      List<String> actions,
      boolean notAction,
      Map<String, Map<String, List<String>>> conditions) {

    /** Whether this statement applies to {@code action} (e.g. "kms:Decrypt"). */
    public boolean covers(String action) {
      String lower = action.toLowerCase(Locale.ROOT);
      boolean matched =
          actions.stream().anyMatch(pattern -> glob(pattern).matcher(lower).matches());
      return matched != notAction;
    }
  }

  public static KeyPolicy parse(byte[] policy) throws CustodyException {
    JsonNode root;
    try {
      root = JSON.readTree(policy);
    } catch (IOException e) {
      throw new CustodyException("the key policy is not valid JSON (or has a duplicate key)");
    }
    JsonNode statements = root == null ? null : root.get("Statement");
    if (statements == null || !(statements.isArray() || statements.isObject())) {
      throw new CustodyException("the key policy has no Statement list");
    }
    List<Statement> parsed = new ArrayList<>();
    for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
      parsed.add(statement(statement, name(statement, parsed.size())));
    }
    return new KeyPolicy(List.copyOf(parsed));
  }

  private static Statement statement(JsonNode statement, String name) throws CustodyException {
    JsonNode effect = statement.get("Effect");
    if (effect == null || !effect.isTextual()) {
      throw new CustodyException(name + " has no Effect");
    }
    if (!effect.textValue().equals("Allow") && !effect.textValue().equals("Deny")) {
      throw new CustodyException(name + " has an Effect other than Allow or Deny");
    }
    boolean notAction = statement.has("NotAction");
    if (notAction == statement.has("Action")) {
      throw new CustodyException(name + " must have exactly one of Action and NotAction");
    }
    String field = notAction ? "NotAction" : "Action";
    List<String> actions = strings(statement.get(field), name + "'s " + field);
    Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();
    JsonNode condition = statement.get("Condition");
    if (condition != null) {
      if (!condition.isObject()) {
        throw new CustodyException(name + " has a malformed Condition");
      }
      for (Map.Entry<String, JsonNode> operator : condition.properties()) {
        if (!operator.getValue().isObject()) {
          throw new CustodyException(name + " has a malformed Condition");
        }
        Map<String, List<String>> tests = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> test : operator.getValue().properties()) {
          tests.put(
              test.getKey(), strings(test.getValue(), name + "'s condition " + test.getKey()));
        }
        conditions.put(operator.getKey(), Map.copyOf(tests));
      }
    }
    return new Statement(
        name, effect.textValue().equals("Allow"), actions, notAction, Map.copyOf(conditions));
  }

  private static List<String> strings(JsonNode node, String what) throws CustodyException {
    if (node != null && node.isTextual()) {
      return List.of(node.textValue());
    }
    if (node == null || !node.isArray()) {
      throw new CustodyException(what + " is not text or a list of text");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new CustodyException(what + " is not text or a list of text");
      }
      values.add(item.textValue());
    }
    return List.copyOf(values);
  }

  private static String name(JsonNode statement, int index) {
    JsonNode sid = statement.get("Sid");
    return "statement "
        + index
        + (sid != null && sid.isTextual()
            ? " (" + UntrustedText.quote(sid.textValue(), 120) + ")"
            : "");
  }

  /** IAM action patterns: case-insensitive, {@code *} any run, {@code ?} one character. */
  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
