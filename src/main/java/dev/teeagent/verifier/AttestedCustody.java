package dev.teeagent.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.json.UntrustedText;
import dev.teeagent.verifier.VerificationReport.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The custody member of the user_data preimage (DESIGN §4, docs/custody.md): the KMS key holding
 * the agent's sealed identity, its origin, the SHA-256 of its exact policy and whether that policy
 * (with no grants) is locked to the image. An agent with a sealed identity writes it; one without
 * does not. Origin and policy hash are null when the agent could not read them (never locked then).
 * The JS verifier checks the same shape in verifier-js/src/preimage.js.
 */
public record AttestedCustody(String keyId, String origin, String policySha256, boolean locked) {
  /** The members, as the agent writes them. */
  static final List<String> MEMBERS = List.of("key_id", "origin", "policy_sha256", "locked");

  /** What is wrong with a received custody member's shape (empty when it maps onto this record). */
  static List<String> problems(JsonNode custody) {
    if (!custody.isObject()) {
      return List.of("custody is not an object");
    }
    List<String> problems = new ArrayList<>();
    UserDataPreimage.unknownMembers(custody, MEMBERS, "custody ").ifPresent(problems::add);
    if (!custody.path("key_id").isTextual()) {
      problems.add("custody.key_id is missing or not text");
    }
    for (String name : List.of("origin", "policy_sha256")) {
      JsonNode value = custody.get(name);
      if (value == null || !(value.isTextual() || value.isNull())) {
        problems.add("custody." + name + " is missing or not text or null");
      }
    }
    if (!custody.path("locked").isBoolean()) {
      problems.add("custody.locked is missing or not true or false");
    }
    return problems;
  }

  /** Whether /config's {@code identity.custody} says the same as this attested statement. */
  boolean sameAs(JsonNode config) {
    return config.isObject()
        && Objects.equals(keyId, text(config.get("key_id")))
        && Objects.equals(origin, text(config.get("origin")))
        && Objects.equals(policySha256, text(config.get("policy_sha256")))
        && config.path("locked").isBoolean()
        && config.path("locked").booleanValue() == locked;
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  /**
   * The {@link Check#CUSTODY} step, once the preimage is verified (or not): absent when custody is
   * neither attested nor required; passed when attested and locked, or attested and not required
   * (the detail says NOT locked); failed when required and not attested or not locked. The reasons
   * are /config's, marked as such: only the verdict {@code locked} is attested.
   */
  static Optional<Step> check(
      Optional<UserDataPreimage> preimage, boolean requireLocked, JsonNode configIdentity) {
    if (preimage.isEmpty()) {
      return requireLocked
          ? Optional.of(
              Step.failed(
                  Check.CUSTODY, "no attested custody to check: the preimage did not verify"))
          : Optional.empty();
    }
    AttestedCustody custody = preimage.get().custody();
    if (custody == null) {
      return requireLocked
          ? Optional.of(
              Step.failed(
                  Check.CUSTODY,
                  "the agent attests no custody statement: it keeps no sealed identity under a"
                      + " KMS key (serve --state-dir), so nothing shows who else can get at its"
                      + " key, and locked custody was required"))
          : Optional.empty();
    }
    String what =
        "KMS key "
            + UntrustedText.quote(custody.keyId(), 64)
            + " (origin "
            + UntrustedText.quote(String.valueOf(custody.origin()), 64)
            + ", policy sha256 "
            + UntrustedText.quote(String.valueOf(custody.policySha256()), 64)
            + ")";
    if (custody.locked()) {
      return Optional.of(
          Step.passed(
              Check.CUSTODY,
              what
                  + " is locked: only this image's measurement can decrypt with it, and no one"
                  + " can change its policy, add a grant, import material or delete it"));
    }
    String reasons = reasons(configIdentity.path("custody").path("reasons"));
    String detail = what + " is NOT locked" + reasons;
    return Optional.of(
        requireLocked
            ? Step.failed(Check.CUSTODY, detail + ", and locked custody was required")
            : Step.passed(Check.CUSTODY, detail + " (reported; --require-locked fails on this)"));
  }

  private static String reasons(JsonNode reasons) {
    List<String> texts = new ArrayList<>();
    if (reasons.isArray()) {
      reasons.forEach(reason -> texts.add(UntrustedText.quote(reason.asText(""), 200)));
    }
    return texts.isEmpty() ? "" : " (as /config says: " + String.join("; ", texts) + ")";
  }
}
