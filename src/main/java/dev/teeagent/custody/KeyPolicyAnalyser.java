package dev.teeagent.custody;

import dev.teeagent.json.UntrustedText;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a KMS key policy is locked to one enclave image (docs/custody.md): every Allow
 * statement that lets anyone obtain or move the key's secrets (Decrypt, GenerateDataKey*,
 * ReEncrypt*) requires {@code kms:RecipientAttestation:ImageSha384} or {@code :PCR0} to equal the
 * image's measurement under StringEquals or StringEqualsIgnoreCase, and no Allow statement lets
 * anyone change the policy, create grants, import or delete key material or schedule deletion. Deny
 * statements are not credited (a lock must not rest on an exception someone can remove with the
 * same PutKeyPolicy), and anything this class does not understand counts as not locked. A key with
 * any grant is not locked either: a grant gives its grantee operations outside the policy.
 */
public final class KeyPolicyAnalyser {
  /** Actions that release the key's secrets or carry ciphertexts to another key. */
  public static final List<String> SECRET_ACTIONS =
      List.of(
          "kms:Decrypt",
          "kms:GenerateDataKey",
          "kms:GenerateDataKeyWithoutPlaintext",
          "kms:GenerateDataKeyPair",
          "kms:GenerateDataKeyPairWithoutPlaintext",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo");

  /** Actions no one may have on a locked key: each could unlock it or destroy the identity. */
  public static final List<String> FORBIDDEN_ACTIONS =
      List.of(
          "kms:PutKeyPolicy",
          "kms:CreateGrant",
          "kms:ImportKeyMaterial",
          "kms:DeleteImportedKeyMaterial",
          "kms:ScheduleKeyDeletion",
          "kms:ReplicateKey");

  private static final Set<String> EXACT_OPERATORS =
      Set.of("stringequals", "stringequalsignorecase");

  /** The condition keys (lower case) that carry an image measurement. */
  public static final Set<String> MEASUREMENT_KEYS =
      Set.of("kms:recipientattestation:imagesha384", "kms:recipientattestation:pcr0");

  private KeyPolicyAnalyser() {}

  /**
   * The statement for the key described by {@code key} whose policy is {@code policy} (the exact
   * bytes GetKeyPolicy returned) and whose grants are {@code grants}, judged against the image
   * measurement {@code pcr0} (48 bytes).
   */
  public static CustodyStatement analyse(
      KeyDescription key, byte[] policy, KeyGrants grants, byte[] pcr0) {
    List<String> reasons = new ArrayList<>();
    if (!grants.isEmpty()) {
      reasons.add(
          "the key has grant"
              + (grants.ids().size() == 1 && !grants.more() ? " " : "s ")
              + String.join(
                  ", ", grants.ids().stream().map(id -> UntrustedText.quote(id, 64)).toList())
              + (grants.more() ? " and more" : "")
              + ": a grant gives its grantee operations outside the key policy (retire or revoke"
              + " it)");
    }
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
    try {
      String measurement = HexFormat.of().formatHex(pcr0);
      for (KeyPolicy.Statement statement : KeyPolicy.parse(policy).statements()) {
        if (statement.allow()) {
          statementReasons(statement, measurement, reasons);
        }
      }
    } catch (CustodyException e) {
      reasons.add(e.getMessage());
    }
    return new CustodyStatement(
        key.keyId(), key.origin(), sha256(policy), reasons.isEmpty(), reasons);
  }

  /** Whether no Allow statement of {@code policy} grants any of {@link #FORBIDDEN_ACTIONS}. */
  public static boolean nobodyCanUnlock(KeyPolicy policy) {
    return policy.statements().stream()
        .filter(KeyPolicy.Statement::allow)
        .noneMatch(s -> FORBIDDEN_ACTIONS.stream().anyMatch(s::covers));
  }

  private static void statementReasons(
      KeyPolicy.Statement statement, String measurement, List<String> reasons) {
    List<String> forbidden = FORBIDDEN_ACTIONS.stream().filter(statement::covers).toList();
    if (!forbidden.isEmpty()) {
      reasons.add(statement.name() + " allows " + String.join(", ", forbidden));
    }
    List<String> secret = SECRET_ACTIONS.stream().filter(statement::covers).toList();
    if (!secret.isEmpty()) {
      String missing = measurementCondition(statement.conditions(), measurement);
      if (missing != null) {
        reasons.add(statement.name() + " allows " + String.join(", ", secret) + " " + missing);
      }
    }
  }

  /** Null when the conditions pin the measurement, else why not (completing "allows X …"). */
  private static String measurementCondition(
      Map<String, Map<String, List<String>>> conditions, String measurement) {
    boolean pinned = false;
    for (Map.Entry<String, Map<String, List<String>>> operator : conditions.entrySet()) {
      String op = operator.getKey().toLowerCase(Locale.ROOT);
      for (Map.Entry<String, List<String>> test : operator.getValue().entrySet()) {
        if (!MEASUREMENT_KEYS.contains(test.getKey().toLowerCase(Locale.ROOT))) {
          continue;
        }
        if (!EXACT_OPERATORS.contains(op)) {
          return "with the measurement tested by "
              + UntrustedText.quote(operator.getKey(), 120)
              + " (only StringEquals or StringEqualsIgnoreCase pin one image)";
        }
        boolean ignoreCase = op.equals("stringequalsignorecase");
        for (String value : test.getValue()) {
          if (!(ignoreCase ? value.equalsIgnoreCase(measurement) : value.equals(measurement))) {
            return "to another measurement as well (" + UntrustedText.quote(value, 120) + ")";
          }
        }
        pinned |= !test.getValue().isEmpty();
      }
    }
    return pinned ? null : "with no condition on the enclave's measurement";
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
