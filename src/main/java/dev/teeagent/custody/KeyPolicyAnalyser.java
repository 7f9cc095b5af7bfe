package dev.teeagent.custody;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a KMS key policy is locked to one enclave image (docs/custody.md): every Allow
 * statement that lets anyone obtain or move the key's secrets (Decrypt, GenerateDataKey*,
 * ReEncrypt*) requires {@code kms:RecipientAttestation:ImageSha384} or {@code :PCR0} to equal the
 * image's measurement under StringEquals or StringEqualsIgnoreCase, and no Allow statement lets
 * anyone change the policy, create grants, import or delete key material or schedule deletion. Deny
 * statements are not credited (a lock must not rest on an exception someone can remove with the
 * same PutKeyPolicy), and anything this class does not understand counts as not locked.
 */
public final class KeyPolicyAnalyser {
  /** Actions that release the key's secrets or carry ciphertexts to another key. */
  static final List<String> SECRET_ACTIONS =
      List.of(
          "kms:Decrypt",
          "kms:GenerateDataKey",
          "kms:GenerateDataKeyWithoutPlaintext",
          "kms:GenerateDataKeyPair",
          "kms:GenerateDataKeyPairWithoutPlaintext",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo");

  /** Actions no one may have on a locked key: each could unlock it or destroy the identity. */
  static final List<String> FORBIDDEN_ACTIONS =
      List.of(
          "kms:PutKeyPolicy",
          "kms:CreateGrant",
          "kms:ImportKeyMaterial",
          "kms:DeleteImportedKeyMaterial",
          "kms:ScheduleKeyDeletion",
          "kms:ReplicateKey");

  private static final Set<String> EXACT_OPERATORS =
      Set.of("stringequals", "stringequalsignorecase");
  private static final Set<String> MEASUREMENT_KEYS =
      Set.of("kms:recipientattestation:imagesha384", "kms:recipientattestation:pcr0");
  private static final ObjectMapper JSON = JsonMappers.strict();

  private KeyPolicyAnalyser() {}

  /**
   * The statement for the key described by {@code key} whose policy is {@code policy} (the exact
   * bytes GetKeyPolicy returned), judged against the image measurement {@code pcr0} (48 bytes).
   */
  public static CustodyStatement analyse(KeyDescription key, byte[] policy, byte[] pcr0) {
    List<String> reasons = new ArrayList<>();
    if (!"AWS_KMS".equals(key.origin())) {
      reasons.add(
          "the key's material has origin "
              + key.origin()
              + ", not AWS_KMS: someone outside KMS holds or controls it");
    }
    if (key.multiRegion()) {
      reasons.add("the key is multi-Region: each replica has its own policy, not checked here");
    }
    if (!"Enabled".equals(key.keyState())) {
      reasons.add("the key's state is " + key.keyState() + ", not Enabled");
    }
    reasons.addAll(policyReasons(policy, HexFormat.of().formatHex(pcr0)));
    return new CustodyStatement(
        key.keyId(), key.origin(), sha256(policy), reasons.isEmpty(), reasons);
  }

  static List<String> policyReasons(byte[] policy, String measurement) {
    JsonNode root;
    try {
      root = JSON.readTree(policy);
    } catch (JsonProcessingException e) {
      return List.of("the key policy is not valid JSON (or has a duplicate key)");
    } catch (java.io.IOException e) {
      return List.of("the key policy cannot be read");
    }
    JsonNode statements = root == null ? null : root.get("Statement");
    if (statements == null || !(statements.isArray() || statements.isObject())) {
      return List.of("the key policy has no Statement list");
    }
    List<String> reasons = new ArrayList<>();
    int index = 0;
    for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
      statementReasons(statement, name(statement, index++), measurement, reasons);
    }
    return reasons;
  }

  private static void statementReasons(
      JsonNode statement, String name, String measurement, List<String> reasons) {
    JsonNode effect = statement.get("Effect");
    if (effect == null || !effect.isTextual()) {
      reasons.add(name + " has no Effect");
      return;
    }
    if (effect.textValue().equals("Deny")) {
      return; // Never grants; not credited either (see class comment).
    }
    if (!effect.textValue().equals("Allow")) {
      reasons.add(name + " has an Effect other than Allow or Deny");
      return;
    }
    List<String> patterns;
    boolean negated = statement.has("NotAction");
    if (negated == statement.has("Action")) {
      reasons.add(name + " must have exactly one of Action and NotAction");
      return;
    }
    try {
      patterns = strings(statement.get(negated ? "NotAction" : "Action"));
    } catch (IllegalArgumentException e) {
      reasons.add(name + "'s " + (negated ? "NotAction" : "Action") + " is not text or a list");
      return;
    }
    List<String> forbidden = allowed(FORBIDDEN_ACTIONS, patterns, negated);
    if (!forbidden.isEmpty()) {
      reasons.add(name + " allows " + String.join(", ", forbidden));
    }
    List<String> secret = allowed(SECRET_ACTIONS, patterns, negated);
    if (!secret.isEmpty()) {
      String missing = measurementCondition(statement.get("Condition"), measurement);
      if (missing != null) {
        reasons.add(name + " allows " + String.join(", ", secret) + " " + missing);
      }
    }
  }

  /** Null when the condition pins the measurement, else why not (completing "allows X …"). */
  private static String measurementCondition(JsonNode condition, String measurement) {
    if (condition == null || !condition.isObject()) {
      return "with no condition on the enclave's measurement";
    }
    boolean pinned = false;
    for (Map.Entry<String, JsonNode> operator : condition.properties()) {
      String op = operator.getKey().toLowerCase(Locale.ROOT);
      if (!operator.getValue().isObject()) {
        return "with a malformed Condition";
      }
      for (Map.Entry<String, JsonNode> test : operator.getValue().properties()) {
        if (!MEASUREMENT_KEYS.contains(test.getKey().toLowerCase(Locale.ROOT))) {
          continue;
        }
        if (!EXACT_OPERATORS.contains(op)) {
          return "with the measurement tested by "
              + operator.getKey()
              + " (only StringEquals or StringEqualsIgnoreCase pin one image)";
        }
        List<String> values;
        try {
          values = strings(test.getValue());
        } catch (IllegalArgumentException e) {
          return "with a malformed measurement condition";
        }
        boolean ignoreCase = op.equals("stringequalsignorecase");
        for (String value : values) {
          if (!(ignoreCase ? value.equalsIgnoreCase(measurement) : value.equals(measurement))) {
            return "to another measurement as well (" + printable(value) + ")";
          }
        }
        pinned |= !values.isEmpty();
      }
    }
    return pinned ? null : "with no condition on the enclave's measurement";
  }

  /** The actions in {@code candidates} the statement's patterns allow. */
  private static List<String> allowed(List<String> candidates, List<String> patterns, boolean not) {
    List<Pattern> compiled = patterns.stream().map(KeyPolicyAnalyser::glob).toList();
    return candidates.stream()
        .filter(
            action -> {
              String lower = action.toLowerCase(Locale.ROOT);
              boolean matched = compiled.stream().anyMatch(p -> p.matcher(lower).matches());
              return matched != not;
            })
        .toList();
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

  private static List<String> strings(JsonNode node) {
    if (node != null && node.isTextual()) {
      return List.of(node.textValue());
    }
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException("not text or a list");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new IllegalArgumentException("not text");
      }
      values.add(item.textValue());
    }
    return values;
  }

  private static String name(JsonNode statement, int index) {
    JsonNode sid = statement.get("Sid");
    return "statement "
        + index
        + (sid != null && sid.isTextual() ? " (" + printable(sid.textValue()) + ")" : "");
  }

  private static String printable(String text) {
    String cut = text.length() > 120 ? text.substring(0, 120) + "…" : text;
    return cut.replaceAll("[\\p{Cntrl}]", "?");
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
