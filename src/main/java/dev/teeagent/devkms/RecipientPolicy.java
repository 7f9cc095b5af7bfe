package dev.teeagent.devkms;

import dev.teeagent.custody.KeyPolicy;
import dev.teeagent.verifier.AttestationDocument;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a key policy for one action the way KMS does, as far as the stand-in can: an explicit
 * Deny wins, else some Allow (or, in the service, a grant) must apply, else the request is denied.
 * Only conditions on {@code kms:RecipientAttestation:ImageSha384} and {@code :PCR<n>} are
 * evaluated, from the verified attestation document (absent when the request had no Recipient),
 * under StringEquals and StringEqualsIgnoreCase with or without IfExists; any other operator on
 * those keys fails closed. Principals and other condition keys are not evaluated: the stand-in does
 * not check who calls.
 */
final class RecipientPolicy {
  private static final String PREFIX = "kms:recipientattestation:";

  private RecipientPolicy() {}

  static boolean allows(KeyPolicy policy, String action, Optional<AttestationDocument> document) {
    return !denies(policy, action, document)
        && policy.statements().stream()
            .anyMatch(s -> s.allow() && s.covers(action) && conditionsHold(s, document));
  }

  /** Whether an explicit Deny applies: it wins over every Allow and every grant. */
  static boolean denies(KeyPolicy policy, String action, Optional<AttestationDocument> document) {
    return policy.statements().stream()
        .anyMatch(s -> !s.allow() && s.covers(action) && conditionsHold(s, document));
  }

  private static boolean conditionsHold(
      KeyPolicy.Statement statement, Optional<AttestationDocument> document) {
    for (Map.Entry<String, Map<String, List<String>>> operator :
        statement.conditions().entrySet()) {
      String op = operator.getKey().toLowerCase(Locale.ROOT);
      for (Map.Entry<String, List<String>> test : operator.getValue().entrySet()) {
        String key = test.getKey().toLowerCase(Locale.ROOT);
        if (key.startsWith(PREFIX) && !holds(op, key, test.getValue(), document)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean holds(
      String op, String key, List<String> values, Optional<AttestationDocument> document) {
    boolean ifExists = op.endsWith("ifexists");
    String base = ifExists ? op.substring(0, op.length() - "ifexists".length()) : op;
    if (!base.equals("stringequals") && !base.equals("stringequalsignorecase")) {
      return false;
    }
    Optional<String> actual = document.flatMap(d -> measurement(d, key.substring(PREFIX.length())));
    if (actual.isEmpty()) {
      return ifExists;
    }
    boolean ignoreCase = base.equals("stringequalsignorecase");
    return values.stream()
        .anyMatch(v -> ignoreCase ? v.equalsIgnoreCase(actual.get()) : v.equals(actual.get()));
  }

  /** ImageSha384 is PCR0 on Nitro; PCR<n> any PCR of the document; lower-case hex as KMS. */
  private static Optional<String> measurement(AttestationDocument document, String name) {
    Integer index = null;
    if (name.equals("imagesha384")) {
      index = 0;
    } else if (name.matches("pcr([0-9]|[12][0-9]|3[01])")) {
      index = Integer.parseInt(name.substring(3));
    }
    byte[] value = index == null ? null : document.pcrs().get(index);
    return Optional.ofNullable(value).map(HexFormat.of()::formatHex);
  }
}
