package dev.teeagent.custody;

import java.nio.charset.StandardCharsets;

/**
 * Whose snapshot a sealed blob is: the agent's TEE name and its operator (the operator's address).
 * Both are bound into the AES-GCM additional data, so a snapshot of one agent never opens as
 * another's, and both are written in clear so that a refusal can say whose it was.
 */
public record SealedIdentity(String teeName, String operator) {
  static final int MAX_FIELD_BYTES = 256;

  public SealedIdentity {
    check("tee name", teeName);
    check("operator", operator);
  }

  private static void check(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("the sealed snapshot's " + what + " is empty");
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > MAX_FIELD_BYTES) {
      throw new IllegalArgumentException(
          "the sealed snapshot's " + what + " is longer than " + MAX_FIELD_BYTES + " bytes");
    }
    if (!value.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f && Character.isDefined(c))) {
      throw new IllegalArgumentException(
          "the sealed snapshot's " + what + " has control or undefined characters");
    }
  }

  @Override
  public String toString() {
    return "agent '" + teeName + "' of operator " + operator;
  }
}
